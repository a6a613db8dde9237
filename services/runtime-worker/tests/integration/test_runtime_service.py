"""The runtime-worker service on real PostgreSQL + Valkey with the offline scripted
models: admitted runs are answered and streamed, tool requests wait until the
deadline, cancels stop runs, and no step holds a transaction across a model call."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.streams import started, stream_events, xadd_event
from vasini_chassis.testing.waiting import eventually
from vasini_contracts import (
    CloudEvent,
    EventData,
)
from vasini_contracts.events.common import PackRef
from vasini_contracts.events.runs import RunAdmitted, RunCancelRequested
from vasini_packs import load_pack, pack_digest
from vasini_runtime_worker.adapters.store import accept_run
from vasini_runtime_worker.app import RuntimeWorkerSettings, build_runtime
from vasini_runtime_worker.domain.run import RunRecord

PACKS = Path(__file__).resolve().parents[4] / "packs"
TENANT = "tenant-rt"

Runtime = Callable[..., AbstractAsyncContextManager[ServiceRuntime]]


def tiers(model: str) -> dict[str, list[str]]:
    return {tier: [model] for tier in ("tier-1", "tier-2", "tier-3")}


@pytest.fixture
def runtime_worker(service_settings: dict[str, Any]) -> Runtime:
    def run(
        model: str = "scripted:answer", idle_poll_s: float = 60.0
    ) -> AbstractAsyncContextManager[ServiceRuntime]:
        # The long default idle poll proves queued runs are claimed on their NOTIFY;
        # only timers (deadlines) need the poll.
        settings = RuntimeWorkerSettings(
            **service_settings, idle_poll_s=idle_poll_s, llm={"tiers": tiers(model)}
        )
        return started(build_runtime(settings))

    return run


def admitted(run_id: str, pack_name: str, deadline_s: int | None = None) -> RunAdmitted:
    pack = load_pack(PACKS / pack_name)
    return RunAdmitted(
        run_id=run_id,
        pack=PackRef(pack_id=pack.pack_id, version=pack.version, digest=pack_digest(pack)),
        config=pack.to_config(),
        model_tier="tier-2",
        input="Say hello",
        deadline_s=deadline_s,
    )


async def publish(redis: Redis, prefix: str, run_id: str, data: EventData) -> None:
    await xadd_event(redis, data, prefix=prefix, tenant_id=TENANT, run_id=run_id)


async def published(redis: Redis, prefix: str, event_type: str, run_id: str) -> list[CloudEvent]:
    return await stream_events(redis, event_type, prefix=prefix, run_id=run_id)


def waiter(redis: Redis, prefix: str, run_id: str) -> Callable[..., Any]:
    async def wait_for(event_type: str, count: int = 1) -> list[CloudEvent]:
        return await eventually(
            lambda: published(redis, prefix, event_type, run_id),
            until=lambda found: len(found) >= count,
            timeout=30,
            what=f"{count} x {event_type} for {run_id}",
        )

    return wait_for


async def test_admitted_run_is_answered_streamed_and_billed(
    runtime_worker: Runtime, redis: Redis
) -> None:
    async with runtime_worker() as runtime:
        prefix = runtime.settings.stream_prefix
        await publish(redis, prefix, "run-a", admitted("run-a", "senior-python-dev"))
        wait_for = waiter(redis, prefix, "run-a")

        (produced,) = await wait_for("ai.vasini.run.output.produced.v1")
        (billed,) = await wait_for("ai.vasini.llm.call.completed.v1")
        deltas = await published(redis, prefix, "ai.vasini.run.output.delta.v1", "run-a")
        states = await wait_for("ai.vasini.run.state.changed.v1", 2)

    assert "Say hello" in produced.data["output"]
    assert produced.data["steps"] == 1
    assert produced.data["usage"]["output_tokens"] == billed.data["usage"]["output_tokens"] > 0
    assert (billed.data["provider"], billed.data["model"]) == ("scripted", "answer")
    assert deltas, "the answer streams as deltas"
    assert [d.data["seq"] for d in deltas] == list(range(len(deltas)))
    assert "".join(d.data["text"] for d in deltas) == produced.data["output"]
    assert [(s.data["previous"], s.data["state"]) for s in states] == [
        ("queued", "running"),
        ("running", "done"),
    ]
    assert produced.trace_id is not None


async def test_tool_request_nobody_answers_fails_at_the_deadline(
    runtime_worker: Runtime, redis: Redis
) -> None:
    async with runtime_worker(model="scripted:tools", idle_poll_s=0.1) as runtime:
        prefix = runtime.settings.stream_prefix
        await publish(redis, prefix, "run-t", admitted("run-t", "bench-echo", deadline_s=2))
        wait_for = waiter(redis, prefix, "run-t")

        (requested,) = await wait_for("ai.vasini.tool.call.requested.v1")
        (failed,) = await wait_for("ai.vasini.run.failed.v1")

    assert requested.data["tool_id"] == "echo"
    assert isinstance(requested.data["arguments"]["text"], str)
    assert failed.data["error"]["code"] == "RUN_DEADLINE_EXCEEDED"
    assert "echo" in failed.data["error"]["message"]
    assert failed.data["steps"] == 1


async def test_cancel_ends_a_waiting_run_at_once(runtime_worker: Runtime, redis: Redis) -> None:
    async with runtime_worker(model="scripted:tools") as runtime:
        prefix = runtime.settings.stream_prefix
        await publish(redis, prefix, "run-c", admitted("run-c", "bench-echo", deadline_s=600))
        wait_for = waiter(redis, prefix, "run-c")
        await wait_for("ai.vasini.tool.call.requested.v1")

        await publish(redis, prefix, "run-c", RunCancelRequested(run_id="run-c", reason="stop"))

        (cancelled,) = await wait_for("ai.vasini.run.cancelled.v1")
    assert cancelled.data["reason"] == "stop"
    assert cancelled.data["steps"] == 1


async def test_a_duplicate_admission_runs_once(runtime_worker: Runtime, redis: Redis) -> None:
    async with runtime_worker() as runtime:
        prefix = runtime.settings.stream_prefix
        for _ in range(2):  # two deliveries of the same logical admission
            await publish(redis, prefix, "run-d", admitted("run-d", "bench-echo"))
        wait_for = waiter(redis, prefix, "run-d")
        await wait_for("ai.vasini.run.output.produced.v1")
        states = await wait_for("ai.vasini.run.state.changed.v1", 2)

    produced = await published(redis, prefix, "ai.vasini.run.output.produced.v1", "run-d")
    assert len(produced) == 1
    assert len(states) == 2
    assert json.dumps(produced[0].data)


async def test_a_run_at_its_step_limit_fails_instead_of_calling_the_model(
    runtime_worker: Runtime, redis: Redis
) -> None:
    # A run resumed at the pack's max_autonomous_steps (15 for the reference pack), as
    # one is after tool results once tools execute: the next step must not happen.
    spec = admitted("run-m", "senior-python-dev")
    async with runtime_worker() as runtime:
        record = RunRecord(
            tenant_id=TENANT,
            run_id="run-m",
            pack=spec.pack.model_dump(mode="json"),
            config=spec.config,
            tier="tier-2",
            input=spec.input,
            session_id=None,
            requested_at=datetime.now(UTC),
            deadline_at=datetime.now(UTC) + timedelta(minutes=5),
            traceparent=None,
            state="running",
            step=15,
        )
        async with runtime.db.transaction(TENANT) as conn:
            await accept_run(conn, record)

        (failed,) = await waiter(redis, runtime.settings.stream_prefix, "run-m")(
            "ai.vasini.run.failed.v1"
        )
        billed = await published(
            redis, runtime.settings.stream_prefix, "ai.vasini.llm.call.completed.v1", "run-m"
        )

    assert failed.data["error"]["code"] == "MAX_STEPS_EXCEEDED"
    assert failed.data["steps"] == 15
    assert billed == []
