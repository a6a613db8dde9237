"""Publishing = writing to the outbox inside the caller's transaction.

Nothing here touches Redis: the event becomes visible to other services only if the
transaction commits, and then exactly when the relay moves it (ARCHITECTURE.md §3).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.messaging.statements import INSERT_OUTBOX
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
    await conn.execute(
        INSERT_OUTBOX,
        {
            "event_ids": [r["event_id"] for r in rows],
            "streams": [r["stream"] for r in rows],
            "payloads": [r["payload"] for r in rows],
            "tenant_ids": [r["tenant_id"] for r in rows],
        },
    )
