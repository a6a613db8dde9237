"""Batch handlers: one call per run of same-type, same-tenant events, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis
from sqlalchemy import func, insert, select

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging import HandlerContext, Router
from vasini_chassis.messaging.statements import fetch
from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.example.app import MIGRATIONS
from vasini_chassis.testing.example.handlers import effects
from vasini_chassis.testing.waiting import eventually
from vasini_contracts import encode_entry, stream_key
from vasini_contracts.events.runs import RunRequested

from .support import run_requested

RUN_TYPE = "ai.vasini.run.requested.v1"


async def test_batch_handler_gets_tenant_runs_and_falls_back_to_single_events_on_failure(
    admin_db: Database, redis: Redis, example_settings
) -> None:
    calls: list[list[tuple[str, str]]] = []
    router = Router()

    @router.on_batch(RunRequested)
    async def record(batch: Sequence[tuple[HandlerContext, RunRequested]]) -> None:
        calls.append([(ctx.tenant_id, data.run_id) for ctx, data in batch])
        await batch[0][0].conn.execute(
            insert(effects),
            [
                {
                    "tenant_id": ctx.tenant_id,
                    "event_id": ctx.event.id,
                    "run_id": data.run_id,
                    "input": data.input,
                }
                for ctx, data in batch
            ],
        )
        if any(data.input == "fail" for _, data in batch):
            raise RuntimeError("one poisoned event in the batch")

    order = [
        ("tenant-a", "a1"),
        ("tenant-a", "a2"),
        ("tenant-b", "b1"),
        ("tenant-b", "b2"),
        ("tenant-a", "a3"),
        ("tenant-b", "b-poison"),
    ]
    settings = example_settings(max_deliveries=1)
    stream = stream_key(RUN_TYPE, settings.stream_prefix)
    await redis.xgroup_create(stream, "example", id="0", mkstream=True)
    for tenant, run_id in order:  # all waiting before the consumer starts: one batch
        event = run_requested(
            tenant=tenant, run_id=run_id, input_text="fail" if run_id == "b-poison" else "ok"
        )
        await redis.xadd(stream, encode_entry(event))

    runtime = ServiceRuntime(settings, router, migrations=MIGRATIONS)
    await runtime.start()
    try:
        await eventually(
            lambda: runtime.consumer.stats.dead_lettered,
            until=lambda n: n == 1,
            what="the poisoned event dead-lettered",
        )
        await eventually(
            lambda: runtime.consumer.stats.handled,
            until=lambda n: n == 5,
            what="the five good events handled",
        )
    finally:
        await runtime.stop()

    # First attempt: the whole batch, grouped by consecutive tenant; it failed as a whole.
    assert calls[:4] == [
        [("tenant-a", "a1"), ("tenant-a", "a2")],
        [("tenant-b", "b1"), ("tenant-b", "b2")],
        [("tenant-a", "a3")],
        [("tenant-b", "b-poison")],
    ]
    # Then one event per transaction, so only the poisoned one is lost.
    assert calls[4:] == [[pair] for pair in order]
    async with admin_db.transaction() as conn:
        rows = (await conn.execute(select(effects.c.tenant_id, effects.c.run_id))).all()
    assert sorted(map(tuple, rows)) == sorted(order[:5])


async def test_each_tenant_run_of_a_batch_runs_under_its_own_database_scope(
    admin_db: Database, redis: Redis, example_settings
) -> None:
    scopes: list[tuple[str, str]] = []
    router = Router()

    @router.on(RunRequested)
    async def record(ctx: HandlerContext, data: RunRequested) -> None:
        scope = await ctx.conn.execute(select(func.current_setting("app.tenant_id")))
        scopes.append((data.run_id, str(scope.scalar_one())))

    settings = example_settings()
    stream = stream_key(RUN_TYPE, settings.stream_prefix)
    await redis.xgroup_create(stream, "example", id="0", mkstream=True)
    handled_before = run_requested(tenant="tenant-z", run_id="z-first")
    await redis.xadd(stream, encode_entry(handled_before))
    runtime = ServiceRuntime(settings, router, migrations=MIGRATIONS)
    await runtime.start()
    try:
        await eventually(
            lambda: runtime.consumer.stats.handled, until=lambda n: n == 1, what="the first event"
        )
        # One batch: a copy of the handled event (another tenant) first, then two tenants.
        runtime.consumer.stop()
        await eventually(lambda: not runtime.consumer.running, what="the consumer to stop")
        later = [
            run_requested(tenant=t, run_id=r) for t, r in (("tenant-a", "a"), ("tenant-b", "b"))
        ]
        for event in (handled_before, *later):
            await redis.xadd(stream, encode_entry(event))
        await runtime.consumer.poll_once()
    finally:
        await runtime.stop()

    assert runtime.consumer.stats.duplicates == 1
    assert scopes == [("z-first", "tenant-z"), ("a", "tenant-a"), ("b", "tenant-b")]


async def test_a_handlers_own_unique_violation_is_a_failure_not_a_duplicate(
    redis: Redis, example_settings
) -> None:
    attempts: list[str] = []
    router = Router()
    settings = example_settings(max_deliveries=1)

    @router.on(RunRequested)
    async def clash(ctx: HandlerContext, data: RunRequested) -> None:
        attempts.append(data.run_id)
        # Two rows with one primary key, raised by asyncpg like a clash in the inbox.
        effect = "(1, $1, gen_random_uuid(), 'r', 'i')"
        await fetch(
            ctx.conn,
            f"INSERT INTO {settings.schema_name}.effects (id, tenant_id, event_id, run_id, input)"
            f" VALUES {effect}, {effect} RETURNING id",
            ctx.tenant_id,
        )

    stream = stream_key(RUN_TYPE, settings.stream_prefix)
    await redis.xgroup_create(stream, "example", id="0", mkstream=True)
    await redis.xadd(stream, encode_entry(run_requested(run_id="clash")))
    runtime = ServiceRuntime(settings, router, migrations=MIGRATIONS)
    await runtime.start()
    try:
        await eventually(
            lambda: runtime.consumer.stats.dead_lettered,
            until=lambda n: n == 1,
            what="the failing event dead-lettered",
        )
    finally:
        await runtime.stop()

    assert attempts == ["clash"]  # not retried as if the inbox had refused it
    assert (runtime.consumer.stats.duplicates, runtime.consumer.stats.handled) == (0, 0)
