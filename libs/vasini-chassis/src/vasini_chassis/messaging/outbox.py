"""Publishing = writing to the outbox inside the caller's transaction.

Nothing here touches Redis: the event becomes visible to other services only if the
transaction commits (ARCHITECTURE.md §3). Then the service's publisher sends it right
after the commit (publisher.py) when the transaction is one of `Database.transaction`
and the service has a publisher; otherwise the relay moves it (relay.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import after_commit
from vasini_chassis.messaging.publisher import OutboxPublisher, publisher_of
from vasini_chassis.messaging.statements import INSERT_OUTBOX, INSERT_OUTBOX_LEASED
from vasini_contracts import CloudEvent, encode_entry
from vasini_contracts.codec import ENTRY_FIELD
from vasini_contracts.streams import stream_key

_FIELD = ENTRY_FIELD.encode()


def outbox_row(event: CloudEvent, stream_prefix: str = "") -> dict[str, object]:
    payload = encode_entry(event)[_FIELD].decode()
    return {
        "event_id": event.id,
        "stream": stream_key(event.type, stream_prefix),
        "payload": payload,
        "tenant_id": event.tenantid,
    }


async def enqueue(
    conn: AsyncConnection, events: Sequence[CloudEvent], *, stream_prefix: str = ""
) -> None:
    """Add events to the outbox in the caller's open transaction (one statement)."""
    if not events:
        return
    rows = [outbox_row(e, stream_prefix) for e in events]
    params: dict[str, object] = {
        "event_ids": [r["event_id"] for r in rows],
        "streams": [r["stream"] for r in rows],
        "payloads": [r["payload"] for r in rows],
        "tenant_ids": [r["tenant_id"] for r in rows],
    }
    publisher = publisher_of(conn)
    on_commit = _OnCommit(publisher) if publisher is not None else None
    if on_commit is None or not after_commit(conn, on_commit.publish):
        await conn.execute(INSERT_OUTBOX, params)  # for the relay
        return
    lease = on_commit.publisher.lease
    result = await conn.execute(INSERT_OUTBOX_LEASED, {**params, "lease": lease})
    outbox_ids = {event_id: outbox_id for outbox_id, event_id in result.all()}
    on_commit.ids = [outbox_ids[r["event_id"]] for r in rows]
    on_commit.entries = [(str(r["stream"]), str(r["payload"])) for r in rows]


class _OnCommit:
    """The rows of one `enqueue`, for its publisher once the transaction commits."""

    def __init__(self, publisher: OutboxPublisher) -> None:
        self.publisher = publisher
        self.entries: list[tuple[str, str]] = []
        self.ids: list[int] = []

    async def publish(self) -> None:
        await self.publisher.publish(self.entries, self.ids)
