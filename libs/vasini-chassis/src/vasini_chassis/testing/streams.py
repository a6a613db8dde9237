"""Test helpers: publish an event as any producer would (one XADD) and read what a
service published, and run a service for the length of a test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from vasini_chassis.runtime import ServiceRuntime
from vasini_contracts import (
    CloudEvent,
    EventData,
    decode_entry,
    encode_entry,
    new_event,
    stream_key,
)


async def xadd_event(
    redis: Redis, data: EventData, *, prefix: str, tenant_id: str, run_id: str
) -> CloudEvent:
    """Publish `data` for run `run_id` of `tenant_id` straight onto its stream."""
    event = new_event(
        data,
        source="/vasini/test",
        tenant_id=tenant_id,
        subject=f"run/{run_id}",
        correlation_id=run_id,
    )
    await redis.xadd(stream_key(event.type, prefix), encode_entry(event))  # type: ignore[arg-type]
    return event


async def stream_events(
    redis: Redis, event_type: str, *, prefix: str, run_id: str | None = None
) -> list[CloudEvent]:
    """Every event on `event_type`'s stream, oldest first; only `run_id`'s if given."""
    entries: list[tuple[bytes, dict[bytes, bytes]]] = await redis.xrange(  # type: ignore[assignment]
        stream_key(event_type, prefix)
    )
    events = [decode_entry(fields) for _, fields in entries]
    return [e for e in events if run_id is None or e.correlationid == run_id]


@asynccontextmanager
async def started(runtime: ServiceRuntime) -> AsyncIterator[ServiceRuntime]:
    """`runtime` started for the block, stopped after it whatever happens."""
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
