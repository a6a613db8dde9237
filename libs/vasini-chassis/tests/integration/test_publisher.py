"""Publish on commit: a transaction's outbox rows reach Redis when it commits, and the
relay sends them only if their publisher could not."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from vasini_chassis.db.engine import Database
from vasini_chassis.db.notifications import table_channel
from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.messaging.publisher import OutboxPublisher
from vasini_chassis.messaging.relay import OutboxRelay
from vasini_chassis.messaging.tables import outbox
from vasini_chassis.migrations import migrate
from vasini_chassis.testing.example.app import MIGRATIONS
from vasini_chassis.testing.waiting import eventually
from vasini_contracts import decode_entry, stream_key

from .support import run_requested

RUN_TYPE = "ai.vasini.run.requested.v1"


@pytest.fixture
async def migrated(example_settings, unique_name: str) -> str:
    settings = example_settings()
    await migrate(settings.migrate_url, MIGRATIONS, schema=unique_name, app_role="vasini_app")
    return str(settings.stream_prefix)


async def stream_event_ids(redis: Redis, prefix: str) -> list[str]:
    entries = await redis.xrange(stream_key(RUN_TYPE, prefix))
    return [str(decode_entry(fields).id) for _, fields in entries]


async def outbox_rows(db: Database) -> list[tuple[bool, bool]]:
    """(published, leased) per outbox row, in insert order."""
    query = select(outbox.c.published_at.is_not(None), outbox.c.relay_after > func.now()).order_by(
        outbox.c.id
    )
    async with db.transaction() as conn:
        return [(bool(published), bool(leased)) for published, leased in await conn.execute(query)]


async def test_committed_events_are_on_the_stream_when_the_transaction_returns(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    publisher = OutboxPublisher(admin_db, redis, lease_s=60.0)
    events = [run_requested(run_id=f"commit-{n}") for n in range(3)]
    async with admin_db.transaction() as conn:
        await enqueue(conn, events[:2], stream_prefix=migrated)
        await enqueue(conn, events[2:], stream_prefix=migrated)
        assert await stream_event_ids(redis, migrated) == [], "nothing before the commit"

    assert await stream_event_ids(redis, migrated) == [str(e.id) for e in events]
    assert publisher.published_total == 3
    assert await outbox_rows(admin_db) == [(False, True)] * 3, "leased, marked later"
    relay = OutboxRelay(admin_db, redis)
    assert await relay.relay_once() == 0, "the relay leaves leased rows alone"

    assert await publisher.mark_once() == 3
    assert await outbox_rows(admin_db) == [(True, True)] * 3
    assert await stream_event_ids(redis, migrated) == [str(e.id) for e in events], "sent once"


async def test_a_rolled_back_transaction_publishes_nothing(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    publisher = OutboxPublisher(admin_db, redis)

    async def failing() -> None:
        async with admin_db.transaction() as conn:
            await enqueue(conn, [run_requested(run_id="rolled-back")], stream_prefix=migrated)
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        await failing()

    assert await stream_event_ids(redis, migrated) == []
    assert await outbox_rows(admin_db) == []
    assert publisher.published_total == 0


async def test_rows_outside_a_managed_transaction_are_left_to_the_relay(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    """A plain SQLAlchemy transaction has no commit hook: its rows carry no lease."""
    OutboxPublisher(admin_db, redis, lease_s=60.0)
    event = run_requested(run_id="plain-transaction")
    async with admin_db.engine.begin() as conn:
        await enqueue(conn, [event], stream_prefix=migrated)

    assert await stream_event_ids(redis, migrated) == []
    assert await outbox_rows(admin_db) == [(False, False)]
    assert await OutboxRelay(admin_db, redis).relay_once() == 1
    assert await stream_event_ids(redis, migrated) == [str(event.id)]


async def test_events_a_publisher_could_not_send_are_relayed_when_the_lease_ends(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    unreachable = Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens on port 1
    publisher = OutboxPublisher(admin_db, unreachable, lease_s=3.0, retry_after_s=60.0)
    stranded, later = run_requested(run_id="stranded"), run_requested(run_id="later")
    try:
        async with admin_db.transaction() as conn:
            await enqueue(conn, [stranded], stream_prefix=migrated)
    finally:
        await unreachable.aclose()
    assert publisher.published_total == 0, "the failure is the relay's to repair, not raised"
    assert not publisher.available, "standing down after the failure"

    async with admin_db.transaction() as conn:
        await enqueue(conn, [later], stream_prefix=migrated)
    rows = await outbox_rows(admin_db)
    assert rows[1] == (False, False), "while standing down, rows go to the relay at once"

    relay = OutboxRelay(admin_db, redis)
    assert await relay.relay_once() == 1, "the new row at once, the stranded one not yet"
    assert await stream_event_ids(redis, migrated) == [str(later.id)]

    async def relayed() -> list[str]:
        await relay.relay_once()
        return await stream_event_ids(redis, migrated)

    await eventually(
        relayed,
        until=lambda ids: ids == [str(later.id), str(stranded.id)],
        what="the stranded event, once its lease ended",
    )


async def test_only_inserts_for_the_relay_wake_it(
    admin_db: Database, redis: Redis, migrated: str, postgres_admin_url: str
) -> None:
    OutboxPublisher(admin_db, redis, lease_s=60.0)
    channel = table_channel(admin_db.schema, "outbox")
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(asyncpg_dsn(postgres_admin_url))
    await listener.add_listener(channel, lambda *args: heard.put_nowait(args[3]))
    try:
        async with admin_db.transaction() as conn:  # leased: the publisher's
            await enqueue(conn, [run_requested(run_id="leased")], stream_prefix=migrated)
        async with admin_db.engine.begin() as conn:  # no lease: the relay's
            await enqueue(conn, [run_requested(run_id="for-the-relay")], stream_prefix=migrated)
        async with admin_db.transaction() as conn:
            await conn.execute(select(func.pg_notify(channel, "sentinel")))

        # Notifications arrive in commit order: the sentinel comes after any other.
        received = [await asyncio.wait_for(heard.get(), timeout=15)]
        while received[-1] != "sentinel":
            received.append(await asyncio.wait_for(heard.get(), timeout=15))
    finally:
        await listener.close()
    assert received == ["", "sentinel"], "one wake-up: the row without a lease"
