"""Publishing = writing to the outbox inside the caller's transaction.

Nothing here touches Redis: the event becomes visible to other services only if the
transaction commits (ARCHITECTURE.md §3). Then the service's publisher sends it right
after the commit (publisher.py) when the transaction is one of `Database.transaction`
and the service has a publisher; otherwise the relay moves it (relay.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.arrays import array_param
from vasini_chassis.db.engine import after_commit
from vasini_chassis.messaging.publisher import publisher_of
from vasini_chassis.messaging.statements import INSERT_OUTBOX, OUTBOX_COLUMNS, fetch
from vasini_contracts import CloudEvent, encode_entry
from vasini_contracts.codec import ENTRY_FIELD
from vasini_contracts.streams import stream_key

_FIELD = ENTRY_FIELD.encode()


async def enqueue(
    conn: AsyncConnection, events: Sequence[CloudEvent], *, stream_prefix: str = ""
) -> None:
    """Add events to the outbox in the caller's open transaction (one statement)."""
    if not events:
        return
    event_ids = [e.id for e in events]
    streams = [stream_key(e.type, stream_prefix) for e in events]
    payloads = [encode_entry(e)[_FIELD].decode() for e in events]
    tenant_ids = [e.tenantid for e in events]
    publisher = publisher_of(conn)
    ids: list[int] = []  # filled below, before the commit that publishes them
    entries = list(zip(streams, payloads, strict=True))
    if publisher is None or not after_commit(conn, partial(publisher.publish, entries, ids)):
        columns = (event_ids, streams, payloads, tenant_ids)
        params = {array_param(c): v for c, v in zip(OUTBOX_COLUMNS, columns, strict=True)}
        await conn.execute(INSERT_OUTBOX, params)  # for the relay
        return
    inserted = await fetch(
        conn, publisher.insert_sql, event_ids, streams, payloads, tenant_ids, publisher.lease
    )
    outbox_ids = {event_id: outbox_id for outbox_id, event_id in inserted}
    ids.extend(outbox_ids[event_id] for event_id in event_ids)
