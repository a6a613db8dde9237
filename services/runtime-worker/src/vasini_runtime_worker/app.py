"""Composition root of the runtime-worker (`python -m vasini_runtime_worker`): the
consumer that queues admitted runs and the executor that runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_chassis.workers import Handoff
from vasini_runtime_worker.adapters.deltas import RedisDeltaPublisher
from vasini_runtime_worker.adapters.llm import build_router
from vasini_runtime_worker.adapters.llm.settings import LlmSettings
from vasini_runtime_worker.adapters.store import DirectStart, PgRunStore
from vasini_runtime_worker.executor import RunExecutor
from vasini_runtime_worker.handlers import build_handlers
from vasini_runtime_worker.service import LoopSettings, RunLoop

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class RuntimeWorkerSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="VASINI_RUNTIME_WORKER_", env_nested_delimiter="__", extra="ignore"
    )

    service_name: str = "runtime-worker"
    llm: LlmSettings = Field(default_factory=LlmSettings)
    max_concurrent_runs: int = Field(default=16, ge=1, description="Runs advanced at once.")
    lease_s: float = Field(default=15.0, gt=0, description="A dead worker's runs move after this.")
    idle_poll_s: float = Field(
        default=1.0,
        gt=0,
        description="Queue poll when idle; claimable runs are announced at once (NOTIFY), "
        "so this only bounds how late a timer (a deadline) fires.",
    )
    default_deadline_s: float = Field(default=300.0, gt=0, description="Without SOP or request.")
    retry_after_outage_s: float = Field(default=5.0, gt=0, description="When all models are down.")


def build_runtime(settings: RuntimeWorkerSettings | None = None) -> ServiceRuntime:
    settings = settings or RuntimeWorkerSettings()
    direct = DirectStart(Handoff(), settings.consumer_name, timedelta(seconds=settings.lease_s))
    runtime = ServiceRuntime(
        settings, build_handlers(settings.default_deadline_s, direct), migrations=MIGRATIONS
    )
    store = PgRunStore(
        runtime.db,
        owner=settings.consumer_name,
        lease_s=settings.lease_s,
        stream_prefix=settings.stream_prefix,
    )
    loop = RunLoop(
        store,
        build_router(settings.llm),
        RedisDeltaPublisher(runtime.redis, settings.stream_prefix),
        LoopSettings(retry_after_outage_s=settings.retry_after_outage_s),
        now=lambda: datetime.now(UTC),
    )
    executor = RunExecutor(
        store,
        loop,
        max_concurrent=settings.max_concurrent_runs,
        lease_s=settings.lease_s,
        idle_poll_s=settings.idle_poll_s,
        handoff=direct.runs,
    )
    runtime.add_worker("executor", executor)
    runtime.on_notify("run_queue", lambda _: executor.wake())
    return runtime


def main() -> None:
    run_service(build_runtime)
