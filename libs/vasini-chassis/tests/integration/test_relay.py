"""The relay's batch: XADDed in outbox order, committed only if every XADD succeeded."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.messaging.relay import OutboxRelay
from vasini_chassis.messaging.tables import outbox
from vasini_chassis.migrations import migrate
from vasini_chassis.testing.example.app import MIGRATIONS
from vasini_contracts import decode_entry, stream_key

from .support import run_requested

RUN_TYPE = "ai.vasini.run.requested.v1"


async def unpublished(db: Database) -> int:
    async with db.transaction() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return int((await conn.execute(query)).scalar_one())


async def stream_event_ids(redis: Redis, stream: str) -> list[str]:
    return [str(decode_entry(fields).id) for _, fields in await redis.xrange(stream)]


async def synchronous_commit(conn: AsyncConnection) -> str:
    return str((await conn.execute(text("SHOW synchronous_commit"))).scalar_one())


@pytest.fixture
async def migrated(example_settings, unique_name: str) -> str:
    settings = example_settings()
    await migrate(settings.migrate_url, MIGRATIONS, schema=unique_name, app_role="vasini_app")
    return str(settings.stream_prefix)


async def test_batch_is_published_in_outbox_order(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    events = [run_requested(run_id=f"order-{n}") for n in range(5)]
    async with admin_db.transaction() as conn:
        await enqueue(conn, events[:2], stream_prefix=migrated)
    async with admin_db.transaction() as conn:
        await enqueue(conn, events[2:], stream_prefix=migrated)

    assert await OutboxRelay(admin_db, redis, batch_size=10).relay_once() == 5

    stream = stream_key(RUN_TYPE, migrated)
    assert await stream_event_ids(redis, stream) == [str(e.id) for e in events]
    assert await unpublished(admin_db) == 0


async def test_every_stream_gets_exactly_the_stored_bytes_of_its_rows(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    """The batch travels as one blob cut by byte lengths: multi-byte UTF-8 and rows of
    several streams, interleaved, must come out as stored, each on its own stream."""
    other_prefix = f"{migrated}other."
    texts = ["plain", "héllo — ✓ 日本語 🚀", 'quotes " and \\ backslash', "x" * 5_000]
    events = [run_requested(run_id=f"bytes-{n}", input_text=t) for n, t in enumerate(texts)]
    async with admin_db.transaction() as conn:
        for n, event in enumerate(events):
            await enqueue(conn, [event], stream_prefix=other_prefix if n % 2 else migrated)
        rows = (await conn.execute(select(outbox.c.event_id, outbox.c.payload))).all()
    stored = dict(rows)

    assert await OutboxRelay(admin_db, redis).relay_once() == 4

    for prefix, mine in ((migrated, events[0::2]), (other_prefix, events[1::2])):
        entries = await redis.xrange(stream_key(RUN_TYPE, prefix))
        assert [fields for _, fields in entries] == [
            {b"cloudevent": stored[e.id].encode()} for e in mine
        ]
        assert [decode_entry(f).data["input"] for _, f in entries] == [
            e.data["input"] for e in mine
        ]
    await redis.delete(stream_key(RUN_TYPE, other_prefix))


async def test_failed_xadd_rolls_the_marks_back_and_the_batch_is_sent_again(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    good, bad, after = (run_requested(run_id=n) for n in ("good", "bad", "after"))
    broken_prefix = f"{migrated}broken."
    broken = stream_key(RUN_TYPE, broken_prefix)
    await redis.set(broken, "not a stream")  # XADD on it fails with WRONGTYPE
    async with admin_db.transaction() as conn:
        await enqueue(conn, [good], stream_prefix=migrated)
        await enqueue(conn, [bad], stream_prefix=broken_prefix)
        await enqueue(conn, [after], stream_prefix=migrated)
    relay = OutboxRelay(admin_db, redis)

    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await relay.relay_once()
    stream = stream_key(RUN_TYPE, migrated)
    assert await stream_event_ids(redis, stream) == [str(good.id)], "stopped at the failure"
    assert await unpublished(admin_db) == 3, "no row is marked: the batch failed"

    await redis.delete(broken)
    assert await relay.relay_once() == 3
    # The row before the failure goes out twice; consumers' inboxes absorb the copy.
    assert await stream_event_ids(redis, stream) == [str(e.id) for e in (good, good, after)]
    assert await stream_event_ids(redis, broken) == [str(bad.id)]
    assert await unpublished(admin_db) == 0
    await redis.delete(broken)


async def test_only_the_relays_own_transaction_skips_the_commit_fsync(
    admin_db: Database, redis: Redis, migrated: str
) -> None:
    relay = OutboxRelay(admin_db, redis)
    async with admin_db.transaction() as conn:
        assert await relay._claim_batch(conn) == []
        assert await synchronous_commit(conn) == "on", "nothing marked, nothing to relax"
    async with admin_db.transaction() as conn:
        await enqueue(conn, [run_requested()], stream_prefix=migrated)
    async with admin_db.transaction() as conn:
        assert len(await relay._claim_batch(conn)) == 1
        assert await synchronous_commit(conn) == "off"
    async with admin_db.transaction() as conn:
        assert await synchronous_commit(conn) == "on", "the setting ended with the batch"
