"""Dead letters: recording what a consumer gave up on, listing it, replaying it.

A dead letter is a row in the service's `dead_letter` table (the full entry and the
error) plus a `DeadLettered` notice on the `ai.vasini.dlq.v1` stream, both written in
one transaction. Replay puts the original entry back on its stream through the
outbox; consumers that already handled the event skip it via their inbox.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.errors import ReplayError
from vasini_chassis.messaging.delivery import Delivery
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.messaging.tables import dead_letter, outbox
from vasini_contracts import CloudEvent, new_event
from vasini_contracts.codec import ENTRY_FIELD, payload_text
from vasini_contracts.events.dlq import DeadLettered

SYSTEM_TENANT = "system"
"""Tenant of notices about entries whose own tenant could not be read."""


@dataclass(frozen=True)
class Rejection:
    delivery: Delivery
    code: str
    error: str
    event: CloudEvent | None = None


async def record_dead_letters(
    conn: AsyncConnection,
    rejections: Sequence[Rejection],
    *,
    consumer: str,
    service: str,
    stream_prefix: str,
) -> None:
    rows: list[dict[str, Any]] = []
    notices: list[CloudEvent] = []
    for r in rejections:
        event = r.event
        rows.append(
            {
                "consumer": consumer,
                "stream": r.delivery.stream,
                "entry_id": r.delivery.entry_id,
                "event_id": event.id if event else None,
                "event_type": event.type if event else None,
                "tenant_id": event.tenantid if event else None,
                "reason_code": r.code,
                "error": r.error,
                "deliveries": r.delivery.deliveries,
                "payload": payload_text(r.delivery.fields),
                "replay_count": 0,
            }
        )
        notice = DeadLettered(
            consumer=consumer,
            stream=r.delivery.stream,
            entry_id=r.delivery.entry_id,
            original_event_id=str(event.id) if event else None,
            original_type=event.type if event else None,
            reason_code=r.code,
            error=r.error,
            deliveries=r.delivery.deliveries,
        )
        notices.append(
            new_event(
                notice,
                source=f"/vasini/{service}",
                tenant_id=event.tenantid if event else SYSTEM_TENANT,
                correlation_id=event.correlationid if event else None,
                traceparent=event.traceparent if event else None,
            )
        )
    await conn.execute(insert(dead_letter), rows)
    await enqueue(conn, notices, stream_prefix=stream_prefix)


async def list_dead_letters(
    conn: AsyncConnection, *, include_replayed: bool = False, limit: int = 100
) -> list[dict[str, Any]]:
    query = select(dead_letter).order_by(dead_letter.c.id).limit(limit)
    if not include_replayed:
        query = query.where(dead_letter.c.replayed_at.is_(None))
    return [dict(row._mapping) for row in (await conn.execute(query)).all()]


async def replay_dead_letters(conn: AsyncConnection, ids: Sequence[int]) -> int:
    """Queue the original entries of `ids` for re-publication; returns how many."""
    rows = (
        await conn.execute(
            select(
                dead_letter.c.id,
                dead_letter.c.stream,
                dead_letter.c.payload,
                dead_letter.c.event_id,
                dead_letter.c.tenant_id,
            )
            .where(dead_letter.c.id.in_(ids))
            .with_for_update()
        )
    ).all()
    missing = sorted(set(ids) - {row.id for row in rows})
    if missing:
        raise ReplayError(f"no dead letter with id {', '.join(map(str, missing))}")
    outbox_rows = []
    for row in rows:
        fields = json.loads(row.payload)
        if ENTRY_FIELD not in fields:
            raise ReplayError(
                f"dead letter {row.id} has no '{ENTRY_FIELD}' field: nothing to replay"
            )
        outbox_rows.append(
            {
                "event_id": row.event_id or uuid.uuid4(),
                "stream": row.stream,
                "payload": fields[ENTRY_FIELD],
                "tenant_id": row.tenant_id or SYSTEM_TENANT,
            }
        )
    await conn.execute(insert(outbox), outbox_rows)
    await conn.execute(
        update(dead_letter)
        .where(dead_letter.c.id.in_(ids))
        .values(replayed_at=func.now(), replay_count=dead_letter.c.replay_count + 1)
    )
    return len(rows)
