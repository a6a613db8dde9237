"""Composition root of the sandbox-runner (`python -m vasini_sandbox_runner`): the
consumer queueing authorized tool calls, the executor running them, and `/isolation`
(next to /healthz and /readyz) reporting what contains them."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_chassis.workers import Handoff
from vasini_guard.injection import InjectionDetector
from vasini_sandbox_runner.adapters.bwrap import BwrapSandbox
from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles
from vasini_sandbox_runner.adapters.egress import GuardedEgress
from vasini_sandbox_runner.adapters.store import DirectStart, PgExecutions
from vasini_sandbox_runner.domain.sandbox import Limits, SandboxUnavailable
from vasini_sandbox_runner.domain.toolbox import Toolbox
from vasini_sandbox_runner.domain.tools import BuiltinTools
from vasini_sandbox_runner.executor import CallExecutor
from vasini_sandbox_runner.handlers import build_handlers
from vasini_sandbox_runner.isolation import IsolationProbe, ProbedSandbox, UnavailableSandbox
from vasini_sandbox_runner.service import SandboxService

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class SandboxRunnerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_SANDBOX_RUNNER_", extra="ignore")

    service_name: str = "sandbox-runner"
    workspaces_dir: Path = Field(
        default=Path(tempfile.gettempdir()) / "vasini-workspaces",
        description="One folder per tenant and run is created under it.",
    )
    max_concurrent_calls: int = Field(default=8, ge=1, description="Calls executed at once.")
    max_timeout_s: float = Field(
        default=300.0, gt=0, le=3_600, description="No call runs longer, whatever is declared."
    )
    idle_poll_s: float = Field(
        default=1.0,
        gt=0,
        description="Queue poll when idle; queued calls are announced at once (NOTIFY), so "
        "this only bounds how late a call whose runner died is picked up again.",
    )
    egress_allow_loopback: bool = Field(
        default=False,
        description="TESTS ONLY: let HTTP tools reach 127.0.0.1 (a local test server).",
    )


def build_runtime(settings: SandboxRunnerSettings | None = None) -> ServiceRuntime:
    settings = settings or SandboxRunnerSettings()
    direct = DirectStart(Handoff(), settings.max_timeout_s)
    runtime = ServiceRuntime(settings, build_handlers(direct), migrations=MIGRATIONS)
    sandbox: ProbedSandbox
    try:
        sandbox = BwrapSandbox()
    except SandboxUnavailable as error:
        sandbox = UnavailableSandbox(str(error))
    probe = IsolationProbe(sandbox)
    base = replace(
        Limits(), timeout_s=settings.max_timeout_s, cpu_seconds=int(settings.max_timeout_s)
    )
    service = SandboxService(
        Toolbox(
            BuiltinTools(sandbox, ConfinedFiles()), GuardedEgress(settings.egress_allow_loopback)
        ),
        settings.workspaces_dir,
        base,
        InjectionDetector(),
    )
    executor = CallExecutor(
        PgExecutions(runtime.db, stream_prefix=settings.stream_prefix),
        service,
        probe,
        max_concurrent=settings.max_concurrent_calls,
        lease_s=direct.lease_s,
        idle_poll_s=settings.idle_poll_s,
        handoff=direct.calls,
    )
    runtime.add_worker("executor", executor)
    runtime.on_notify("execution_queue", lambda _: executor.wake())

    async def isolation(_: Request) -> JSONResponse:
        return JSONResponse(probe.report())

    runtime.serve(Starlette(routes=[Route("/isolation", isolation)]))
    return runtime


def main() -> None:
    run_service(build_runtime)
