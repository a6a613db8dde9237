"""One read across several streams is handled in publication order, not stream by stream."""

from __future__ import annotations

from redis.asyncio import Redis

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging import HandlerContext, Router
from vasini_chassis.messaging.consumer import Consumer
from vasini_chassis.migrations import migrate
from vasini_chassis.testing.example.app import MIGRATIONS
from vasini_contracts import CloudEvent, encode_entry, new_event, stream_key
from vasini_contracts.events.runs import RunRequested, RunStateChanged

from .support import run_requested


def state_changed(run_id: str) -> CloudEvent:
    return new_event(
        RunStateChanged(run_id=run_id, state="running", step=0),
        source="/vasini/runtime-worker",
        tenant_id="tenant-a",
        correlation_id=run_id,
    )


async def test_entries_of_two_streams_in_one_read_are_handled_in_publication_order(
    admin_db: Database, redis: Redis, example_settings, unique_name: str
) -> None:
    settings = example_settings()
    await migrate(settings.migrate_url, MIGRATIONS, schema=unique_name, app_role="vasini_app")
    seen: list[str] = []
    router = Router()

    @router.on(RunRequested)
    async def requested(ctx: HandlerContext, data: RunRequested) -> None:
        seen.append(f"requested:{data.run_id}")

    @router.on(RunStateChanged)
    async def changed(ctx: HandlerContext, data: RunStateChanged) -> None:
        seen.append(f"changed:{data.run_id}")

    consumer = Consumer(
        admin_db, redis, router, service="example", consumer_name="c1", stream_prefix=unique_name
    )
    await consumer.ensure_groups()
    published = []
    # Interleaved across the streams (Redis answers one stream after the other), with
    # explicit ids: entries of one millisecond on two streams would share the time part.
    for n in range(3):
        for k, event in enumerate((run_requested(run_id=f"r{n}"), state_changed(f"r{n}"))):
            stream = stream_key(event.type, unique_name)
            await redis.xadd(stream, encode_entry(event), id=f"{2 * n + k + 1}-0")
            published.append(f"{'changed' if k else 'requested'}:r{n}")

    try:
        assert await consumer.poll_once(block_ms=100) == 6, "one read holds both streams"
        assert seen == published
    finally:
        await redis.delete(*consumer.streams)
