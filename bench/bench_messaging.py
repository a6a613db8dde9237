"""Messaging hop benchmark: outbox -> Redis -> consumer, against raw redis-py.

Prints one JSON line. The chassis hop is the full path a service event takes: a
producer transaction writes the outbox, its publisher XADDs the rows when it commits
(and marks them later), the consumer XREADGROUPs, runs the handler in a transaction
with the inbox insert plus one state write (the example service's `effects` row),
commits, XACKs. The raw hop
is redis-py XADD -> XREADGROUP -> XACK on the same server with the same batch sizes.

- throughput: N events published in batches of 100 while the consumer drains them;
  events/s = N / (first publish -> last handled).
- latency at a fixed rate (300 events/s, one event per producer transaction): from the
  start of the publish to the handler running, p50/p99 in ms.

Both hops run on uvloop, the services' event loop, with the services' garbage-collector
threshold (vasini_chassis.gc_tuning).

Servers: VASINI_BENCH_DATABASE_URL / VASINI_BENCH_REDIS_URL, else the VASINI_TEST_*
URLs, else embedded PostgreSQL and Valkey (as `make test`).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import ExitStack
from typing import Any

import uvloop
from redis.asyncio import Redis
from servers import bench_servers
from sqlalchemy import insert

from vasini_chassis.db.arrays import array_param, insert_from_arrays
from vasini_chassis.db.roles import provision_app_role
from vasini_chassis.gc_tuning import tune_gc
from vasini_chassis.messaging import HandlerContext, Router
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.example.app import MIGRATIONS, ExampleSettings
from vasini_chassis.testing.example.handlers import effects
from vasini_contracts import CloudEvent, decode_entry, encode_entry, new_event, stream_key
from vasini_contracts.events.runs import RunRequested

THROUGHPUT_EVENTS = 20_000
PUBLISH_BATCH = 100
READ_BATCH = 250
LATENCY_EVENTS = 1_500
LATENCY_RATE = 300.0  # events/s
RUN_TYPE = "ai.vasini.run.requested.v1"


def _event(n: int) -> CloudEvent:
    return new_event(
        RunRequested(run_id=f"bench-{n}", pack="bench-echo", input="ping"),
        source="/vasini/bench",
        tenant_id="bench-tenant",
        correlation_id=f"bench-{n}",
    )


def _percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.50), 3),
        "p99_ms": round(pick(0.99), 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
    }


class Probe:
    """Counts handled events and records publish-to-handler latency per event id."""

    def __init__(self) -> None:
        self.started: dict[uuid.UUID, float] = {}
        self.latencies_ms: list[float] = []
        self.handled = 0
        self.done = asyncio.Event()
        self.expected = 0

    def expect(self, count: int) -> None:
        self.handled, self.expected = 0, count
        self.latencies_ms.clear()
        self.done.clear()

    def seen(self, event_id: uuid.UUID) -> None:
        started = self.started.pop(event_id, None)
        if started is not None:
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.handled += 1
        if self.handled >= self.expected:
            self.done.set()


Publish = Callable[[list[CloudEvent]], Awaitable[None]]


async def measure(probe: Probe, publish: Publish) -> dict[str, Any]:
    """Throughput in batches of PUBLISH_BATCH, then latency one event at LATENCY_RATE."""
    events = [_event(n) for n in range(THROUGHPUT_EVENTS)]
    probe.expect(THROUGHPUT_EVENTS)
    began = time.perf_counter()
    for offset in range(0, THROUGHPUT_EVENTS, PUBLISH_BATCH):
        await publish(events[offset : offset + PUBLISH_BATCH])
    await probe.done.wait()
    throughput = THROUGHPUT_EVENTS / (time.perf_counter() - began)

    probe.expect(LATENCY_EVENTS)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n, event in enumerate(_event(n) for n in range(LATENCY_EVENTS)):
        delay = start + n / LATENCY_RATE - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        probe.started[event.id] = time.perf_counter()
        await publish([event])
    await probe.done.wait()
    return {"events_per_s": round(throughput), **_percentiles(probe.latencies_ms)}


# -- raw redis-py -------------------------------------------------------------------


async def bench_raw(redis: Redis, prefix: str) -> dict[str, Any]:
    stream = f"{prefix}raw"
    await redis.xgroup_create(stream, "raw", id="0", mkstream=True)
    probe = Probe()
    stopping = asyncio.Event()

    async def consume() -> None:
        while not stopping.is_set():
            reply = await redis.xreadgroup("raw", "c1", {stream: ">"}, count=READ_BATCH, block=50)
            for _, entries in reply or ():
                for _, fields in entries:
                    probe.seen(decode_entry(fields).id)
                await redis.xack(stream, "raw", *(entry_id for entry_id, _ in entries))

    async def publish(events: list[CloudEvent]) -> None:
        pipe = redis.pipeline(transaction=False)
        for event in events:
            pipe.xadd(stream, encode_entry(event))
        await pipe.execute()

    consumer = asyncio.create_task(consume())
    figures = await measure(probe, publish)
    stopping.set()
    await consumer
    return figures


# -- the chassis --------------------------------------------------------------------


EFFECT_COLUMNS = ("tenant_id", "event_id", "run_id", "input")
INSERT_EFFECTS = insert_from_arrays(effects, EFFECT_COLUMNS)


def _state_row(ctx: HandlerContext, data: RunRequested) -> tuple[Any, ...]:
    return ctx.tenant_id, ctx.event.id, data.run_id, data.input


def _router(probe: Probe, *, batched: bool) -> Router:
    """The handler's one state write: per event, or one multi-row insert per batch."""
    router = Router()
    if batched:

        @router.on_batch(RunRequested)
        async def handle_batch(batch: Sequence[tuple[HandlerContext, RunRequested]]) -> None:
            columns = zip(*(_state_row(c, d) for c, d in batch), strict=True)
            params = {array_param(c): list(v) for c, v in zip(EFFECT_COLUMNS, columns, strict=True)}
            await batch[0][0].conn.execute(INSERT_EFFECTS, params)
            for ctx, _ in batch:
                probe.seen(ctx.event.id)
    else:

        @router.on(RunRequested)
        async def handle(ctx: HandlerContext, data: RunRequested) -> None:
            row = dict(zip(EFFECT_COLUMNS, _state_row(ctx, data), strict=True))
            await ctx.conn.execute(insert(effects).values(**row))
            probe.seen(ctx.event.id)

    return router


async def bench_chassis(
    admin_url: str, app_url: str, redis_url: str, name: str, *, batched: bool
) -> dict[str, Any]:
    probe = Probe()
    router = _router(probe, batched=batched)
    settings = ExampleSettings(
        service_name="example",
        database_url=app_url,
        database_admin_url=admin_url,
        redis_url=redis_url,
        stream_prefix=f"{name}.",
        db_schema=name,
        read_batch=READ_BATCH,
        relay_batch=500,
        db_pool_size=5,
        log_level="WARNING",
    )
    runtime = ServiceRuntime(settings, router, migrations=MIGRATIONS)
    await runtime.start()
    try:

        async def publish(events: list[CloudEvent]) -> None:
            async with runtime.db.transaction() as conn:
                await enqueue(conn, events, stream_prefix=settings.stream_prefix)

        figures = await measure(probe, publish)
        stats = runtime.consumer.stats
        return {
            **figures,
            "duplicates": stats.duplicates,
            "dead_lettered": stats.dead_lettered,
        }
    finally:
        await runtime.stop()


async def main() -> None:
    with ExitStack() as stack:
        admin_url, redis_url, where = bench_servers(stack)
        app_url = await provision_app_role(admin_url)
        name = f"bench_{uuid.uuid4().hex[:10]}"
        redis = Redis.from_url(redis_url)
        try:
            raw = await bench_raw(redis, f"{name}.")
            per_event = await bench_chassis(admin_url, app_url, redis_url, name, batched=False)
            batched = await bench_chassis(admin_url, app_url, redis_url, f"{name}_b", batched=True)
        finally:
            await redis.delete(
                f"{name}.raw", *(stream_key(RUN_TYPE, f"{n}.") for n in (name, f"{name}_b"))
            )
            await redis.aclose()
    print(
        json.dumps(
            {
                "bench": "messaging_hop",
                "servers": where,
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "throughput_events": THROUGHPUT_EVENTS,
                "latency_events": LATENCY_EVENTS,
                "latency_rate_per_s": LATENCY_RATE,
                "raw_redis": raw,
                "chassis_per_event_handler": per_event,
                "chassis_batch_handler": batched,
                "throughput_ratio_per_event": round(
                    per_event["events_per_s"] / raw["events_per_s"], 3
                ),
                "throughput_ratio_batch": round(batched["events_per_s"] / raw["events_per_s"], 3),
                "targets": {"throughput_ratio_min": 0.4, "p50_ms_max": 3.0},
            }
        )
    )


if __name__ == "__main__":
    # The event loop and garbage-collector pace the services run with
    # (vasini_chassis.runtime.run_service), for both hops alike.
    tune_gc()
    uvloop.run(main())
