"""An event written to the outbox has its effect exactly once under crashes and duplicates."""

from __future__ import annotations

import asyncio
import signal
import sys
import textwrap
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import func, select

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.tables import outbox
from vasini_chassis.migrations import migrate
from vasini_chassis.testing.example.app import MIGRATIONS
from vasini_chassis.testing.waiting import eventually
from vasini_contracts.streams import stream_key

from .support import count_effects, publish, run_requested, spawn_example, stop_process

RUN_TYPE = "ai.vasini.run.requested.v1"

# Runs the real relay in a child process that ends itself once Redis has answered the
# XADD: the transaction holding the rows' marks never commits.
_CRASHING_RELAY = textwrap.dedent(
    """
    import asyncio, os, sys
    from redis.asyncio import Redis
    from vasini_chassis.db.engine import Database
    from vasini_chassis.messaging.relay import OutboxRelay

    async def main():
        db = Database(sys.argv[1], schema=sys.argv[2])
        relay = OutboxRelay(db, Redis.from_url(sys.argv[3]))
        publish = relay._publish
        async def publish_then_die(rows):
            await publish(rows)
            os._exit(17)
        relay._publish = publish_then_die
        await relay.relay_once()

    asyncio.run(main())
    """
)


async def unpublished(db: Database) -> int:
    async with db.transaction() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return int((await conn.execute(query)).scalar_one())


async def test_relay_dying_after_xadd_duplicates_but_effect_happens_once(
    admin_db: Database, redis: Redis, running_example, example_settings, unique_name: str
) -> None:
    settings = example_settings()
    prefix = settings.stream_prefix
    stream = stream_key(RUN_TYPE, prefix)
    # The groups exist before anything is published, as the runtime guarantees.
    await redis.xgroup_create(stream, "example", id="0", mkstream=True)
    await migrate(settings.migrate_url, MIGRATIONS, schema=unique_name, app_role="vasini_app")
    event = run_requested(run_id="relay-crash")
    await publish(admin_db, event, prefix=prefix)

    crashed = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _CRASHING_RELAY,
        settings.database_url,
        unique_name,
        settings.redis_url,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(crashed.communicate(), timeout=60)
    assert crashed.returncode == 17, stderr.decode()
    assert await redis.xlen(stream) == 1, "the relay published before dying"
    assert await unpublished(admin_db) == 1, "the mark was rolled back with the process"

    async with running_example() as runtime:
        await eventually(
            lambda: redis.xlen(stream),
            until=lambda n: n == 2,
            what="the row to be published a second time",
        )
        await eventually(
            lambda: unpublished(admin_db),
            until=lambda n: n == 0,
            what="the outbox row to be marked",
        )
        await eventually(
            lambda: runtime.consumer.stats.duplicates,
            until=lambda n: n == 1,
            what="the duplicate to be skipped",
        )
        assert await count_effects(admin_db, event_id=event.id) == 1


async def test_consumer_sigkilled_in_handler_is_reclaimed_by_another(
    admin_db: Database, redis: Redis, running_example, example_settings, tmp_path: Path
) -> None:
    settings = example_settings()
    started = tmp_path / "handler-started"
    doomed = await spawn_example(settings, consumer_name="doomed")
    try:
        event = run_requested(run_id="killed", input_text=f"hang:{started}")

        async def publish_when_ready() -> bool:
            if doomed.returncode is not None:
                stderr = await doomed.stderr.read() if doomed.stderr else b""
                raise AssertionError(f"the consumer exited early: {stderr.decode()}")
            if not await redis.exists(stream_key(RUN_TYPE, settings.stream_prefix)):
                return False
            await publish(admin_db, event, prefix=settings.stream_prefix)
            return True

        await eventually(publish_when_ready, timeout=30, what="the doomed consumer's group")

        await eventually(started.exists, timeout=30, what="the handler to start")
        doomed.send_signal(signal.SIGKILL)
        await asyncio.wait_for(doomed.wait(), timeout=10)
    finally:
        await stop_process(doomed)

    assert await count_effects(admin_db, event_id=event.id) == 0, "the killed tx left nothing"
    async with running_example(consumer_name="survivor") as survivor:
        await eventually(
            lambda: count_effects(admin_db, event_id=event.id),
            until=lambda n: n == 1,
            what="the survivor to handle the event",
        )
        assert survivor.consumer.stats.reclaimed >= 1
        pending = await redis.xpending(stream_key(RUN_TYPE, settings.stream_prefix), "example")
        await eventually(
            lambda: redis.xpending(stream_key(RUN_TYPE, settings.stream_prefix), "example"),
            until=lambda p: p["pending"] == 0,
            what="the entry to be acked",
        )
        assert pending is not None
    assert await count_effects(admin_db, event_id=event.id) == 1


async def test_same_event_published_twice_has_one_effect(
    admin_db: Database, redis: Redis, running_example, unique_name: str
) -> None:
    async with running_example() as runtime:
        event = run_requested(run_id="twice")
        prefix = runtime.settings.stream_prefix
        await publish(admin_db, event, prefix=prefix)
        await publish(admin_db, event, prefix=prefix)
        await eventually(
            lambda: redis.xlen(stream_key(RUN_TYPE, prefix)),
            until=lambda n: n == 2,
            what="both copies on the stream",
        )
        await eventually(
            lambda: runtime.consumer.stats.duplicates,
            until=lambda n: n == 1,
            what="the copy to be skipped",
        )
        assert await count_effects(admin_db, event_id=event.id) == 1
        assert runtime.consumer.stats.handled == 1


async def test_handler_emitted_event_travels_through_outbox_to_next_handler(
    admin_db: Database, running_example
) -> None:
    async with running_example() as runtime:
        event = run_requested(run_id="parent", input_text="emit")
        await publish(admin_db, event, prefix=runtime.settings.stream_prefix)
        await eventually(
            lambda: count_effects(admin_db, run_id="parent-child"),
            until=lambda n: n == 1,
            what="the child event's effect",
        )
        assert await count_effects(admin_db, run_id="parent") == 1
