"""Service lifecycle: graceful shutdown, claim refresh, health endpoints, log context."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from redis.asyncio import Redis

from vasini_chassis.db.engine import Database
from vasini_chassis.testing.waiting import eventually
from vasini_contracts import stream_key

from .support import count_effects, publish, run_requested, spawn_example, stop_process

RUN_TYPE = "ai.vasini.run.requested.v1"


async def test_sigterm_lets_the_in_flight_handler_finish_and_ack(
    admin_db: Database, redis: Redis, example_settings, tmp_path: Path
) -> None:
    settings = example_settings()
    started = tmp_path / "slow-handler-started"
    service = await spawn_example(settings, consumer_name="graceful")
    try:
        stream = stream_key(RUN_TYPE, settings.stream_prefix)
        await eventually(lambda: redis.exists(stream), timeout=30, what="the service's group")
        event = run_requested(run_id="in-flight", input_text=f"slow:{started}")
        await publish(admin_db, event, prefix=settings.stream_prefix)
        await eventually(started.exists, timeout=30, what="the slow handler to start")

        service.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(service.communicate(), timeout=60)
        assert service.returncode == 0, stderr.decode()
    finally:
        await stop_process(service)

    assert await count_effects(admin_db, event_id=event.id) == 1, "the handler committed"
    assert (await redis.xpending(stream, "example"))["pending"] == 0, "and was acked"
    messages = [json.loads(line)["event"] for line in stderr.decode().splitlines()]
    assert messages.index("effect recorded") < messages.index("service stopped")


async def test_long_handler_keeps_its_claim_so_no_other_consumer_steals_it(
    admin_db: Database, running_example, tmp_path: Path
) -> None:
    event = run_requested(run_id="long", input_text=f"slow:{tmp_path / 'started'}")
    # claim_idle_ms (400) is far below the handler's 1.5 s: only the refresh saves it.
    async with (
        running_example(consumer_name="one") as one,
        running_example(consumer_name="two") as two,
    ):
        await publish(admin_db, event, prefix=one.settings.stream_prefix)
        await eventually(
            lambda: one.consumer.stats.handled + two.consumer.stats.handled,
            until=lambda n: n == 1,
            timeout=30,
            what="the slow handler to finish",
        )
        # Give a would-be thief several reclaim rounds after the handler's end as well.
        for runtime in (one, two):
            await runtime.consumer.reclaim_once()
        stats = [one.consumer.stats, two.consumer.stats]
        assert sum(s.reclaimed for s in stats) == 0
        assert sum(s.duplicates for s in stats) == 0
    assert await count_effects(admin_db, event_id=event.id) == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(url: str) -> tuple[int, dict[str, Any]]:
    def fetch() -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    return await asyncio.to_thread(fetch)


async def test_health_and_readiness_endpoints_report_each_check(running_example) -> None:
    port = _free_port()
    async with running_example(http_port=port) as runtime:
        base = f"http://127.0.0.1:{port}"
        assert await _get(f"{base}/healthz") == (200, {"status": "ok", "service": "example"})
        _, body = await eventually(
            lambda: _get(f"{base}/readyz"), until=lambda r: r[0] == 200, what="readiness"
        )
        assert body["checks"] == {"database": True, "redis": True, "consumer": True, "relay": True}

        runtime.consumer.stop()
        _, body = await eventually(
            lambda: _get(f"{base}/readyz"), until=lambda r: r[0] == 503, what="unreadiness"
        )
        assert body["status"] == "unavailable"
        assert body["checks"]["consumer"] is False
        assert body["checks"]["database"] is True


async def test_every_log_line_of_a_handled_event_carries_its_trace_run_and_tenant(
    admin_db: Database, redis: Redis, example_settings
) -> None:
    settings = example_settings()
    service = await spawn_example(settings, consumer_name="chatty")
    try:
        await eventually(
            lambda: redis.exists(stream_key(RUN_TYPE, settings.stream_prefix)),
            timeout=30,
            what="the service's group",
        )
        event = run_requested(tenant="tenant-logs", run_id="logged-run")
        await publish(admin_db, event, prefix=settings.stream_prefix)
        await eventually(
            lambda: count_effects(admin_db, event_id=event.id),
            until=lambda n: n == 1,
            what="the event to be handled",
        )
        service.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(service.communicate(), timeout=60)
    finally:
        await stop_process(service)

    lines = [json.loads(line) for line in stderr.decode().splitlines()]
    [handled] = [line for line in lines if line["event"] == "effect recorded"]
    assert handled["trace_id"] == event.trace_id
    assert handled["run_id"] == "logged-run"
    assert handled["tenant_id"] == "tenant-logs"
    assert handled["event_id"] == str(event.id)
    assert handled["service"] == "example"
    assert handled["level"] == "info"
    others = [line for line in lines if line["event"] != "effect recorded"]
    assert all("trace_id" not in line for line in others), "context does not leak"
