"""Where a run's time goes, hop by hop, from the services' own outbox and inbox rows.

Every event a service emits is an outbox row (`created_at`: when the emitting
transaction inserted it), and every event a service handles is an inbox row
(`received_at`: the handling transaction's start). Joined on the event id, per event
type and consumer, over the given runs:

- `transit_ms`: created -> received: the rest of the emitting transaction and its
  commit, the XADD right after it (messaging/publisher.py), the consumer's XREADGROUP
  and decoding;
- `handler_ms`: received -> the first event that consumer emits for the same run
  after it: the handler's own work (or, for queued work, its wait to be claimed).

Medians in ms, in the order the events first occur in a run.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from datetime import datetime

import asyncpg

from vasini_chassis.db.urls import asyncpg_dsn
from vasini_cli.stack import SERVICES


async def hop_profile(admin_url: str, namespace: str, run_ids: set[str]) -> list[dict[str, object]]:
    emitted: list[tuple[str, str, str, str, datetime]] = []  # run, svc, id, type..
    received: dict[str, list[tuple[str, datetime]]] = defaultdict(list)  # event id -> (svc, at)
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        for service in SERVICES:
            schema = f"{namespace}_{service.replace('-', '_')}"
            if not await conn.fetchval("SELECT to_regclass($1)", f'"{schema}".outbox'):
                continue
            for row in await conn.fetch(
                f'SELECT event_id::text, payload, created_at FROM "{schema}".outbox'
            ):
                event = json.loads(row["payload"])
                if event.get("correlationid") in run_ids:
                    emitted.append(
                        (
                            event["correlationid"],
                            service,
                            row["event_id"],
                            event["type"],
                            row["created_at"],
                        )
                    )
            for row in await conn.fetch(
                f'SELECT event_id::text, received_at FROM "{schema}".inbox'
            ):
                received[row["event_id"]].append((service, row["received_at"]))
    finally:
        await conn.close()

    emitted.sort(key=lambda e: e[4])
    by_run: dict[str, list[tuple[str, str, str, str, datetime]]] = defaultdict(list)
    for event in emitted:
        by_run[event[0]].append(event)
    hops: dict[tuple[str, str, str], dict[str, list[float]]] = {}
    order: dict[tuple[str, str, str], float] = {}
    for events in by_run.values():
        start = events[0][4]
        for position, (_, producer, event_id, event_type, created) in enumerate(events):
            for consumer, at in received.get(event_id, []):
                key = (
                    event_type.removeprefix("ai.vasini.").removesuffix(".v1"),
                    producer,
                    consumer,
                )
                figures = hops.setdefault(key, defaultdict(list))
                figures["transit_ms"].append(_ms(created, at))
                following = next(
                    (e[4] for e in events[position + 1 :] if e[1] == consumer and e[4] >= at),
                    None,
                )
                if following is not None:
                    figures["handler_ms"].append(_ms(at, following))
                order[key] = min(order.get(key, 1e12), _ms(start, created))
    return [
        {
            "event": event_type,
            "from": producer,
            "to": consumer,
            **{name: round(statistics.median(ms), 2) for name, ms in figures.items()},
        }
        for (event_type, producer, consumer), figures in sorted(
            hops.items(), key=lambda item: order[item[0]]
        )
    ]


def _ms(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() * 1000
