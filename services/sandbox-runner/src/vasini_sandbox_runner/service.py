"""The sandbox-runner's use case: execute one authorized tool call.

The call runs in the run's workspace (one folder per tenant and run, shared by the
run's calls, so a file one call writes the next can read) under the limits the pack
declares for the tool, capped by policy's `timeout_s`. Whatever happens, the call
ends in one `tool.call.completed` (status ok, error or timeout) and one audit entry:
an error is a result for the model, never a lost call. Every result is screened for
indirect prompt injection before the model reads it (domain/result_screening.py).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from vasini_contracts.events.common import ErrorInfo
from vasini_contracts.events.tools import ToolCallAuthorized, ToolCallCompleted
from vasini_guard.firewall import InjectionAssessor
from vasini_sandbox_runner.domain.result_screening import Screening, screen_result
from vasini_sandbox_runner.domain.sandbox import (
    Limits,
    SandboxError,
    SandboxUnavailable,
    declared_limits,
)
from vasini_sandbox_runner.domain.tools import ToolError, ToolResult

MAX_RESULT_CHARS = 1_000_000
SUMMARY_CHARS = 2_000


class Tools(Protocol):
    async def call(
        self,
        request: ToolCallAuthorized,
        workspace: Path,
        limits: Limits,
    ) -> ToolResult:
        """Run the call; ToolError (for the model) if it cannot run."""
        ...


@dataclass(frozen=True, slots=True)
class Isolation:
    """What contains executions on this host, as probed at start-up."""

    kind: str  # bubblewrap, or none
    detail: Mapping[str, Any]
    problem: str | None = None  # why there is none


@dataclass(frozen=True, slots=True)
class Executed:
    """The completed event's data, the audit summary of the result, and what the
    injection screening found (None: nothing)."""

    completed: ToolCallCompleted
    summary: str
    screening: Screening | None = None


class SandboxService:
    def __init__(
        self,
        tools: Tools,
        workspaces: Path,
        base_limits: Limits,
        injection: InjectionAssessor,
    ) -> None:
        self._tools = tools
        self._workspaces = workspaces
        self._base = base_limits
        self._injection = injection

    def workspace(self, tenant_id: str, run_id: str) -> Path:
        folder = self._workspaces / tenant_id / run_id
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    async def execute(
        self, tenant_id: str, request: ToolCallAuthorized, isolation: Isolation
    ) -> Executed:
        started = time.monotonic()
        error: ErrorInfo | None = None
        try:
            result = await self._tools.call(
                request, self.workspace(tenant_id, request.run_id), self.limits(request)
            )
        except SandboxUnavailable as exc:
            result = ToolResult(output=str(exc), is_error=True, exit_code=None)
            error = ErrorInfo(code="SANDBOX_UNAVAILABLE", message=str(exc), retryable=False)
        except (ToolError, SandboxError) as exc:
            result = ToolResult(output=str(exc), is_error=True, exit_code=None)
            error = ErrorInfo(code="TOOL_ERROR", message=str(exc)[:4_000], retryable=False)
        duration_ms = int((time.monotonic() - started) * 1000)
        status = "timeout" if result.timed_out else "error" if result.is_error else "ok"
        if status == "timeout" and error is None:
            error = ErrorInfo(
                code="TOOL_TIMEOUT",
                message=f"the call was killed after {self.limits(request).timeout_s:g}s",
            )
        elif status == "error" and error is None:
            error = ErrorInfo(code="TOOL_FAILED", message=_failure(result))
        screened, screening = screen_result(self._injection, result.output[:MAX_RESULT_CHARS])
        output = screened[:MAX_RESULT_CHARS]  # the notice may have pushed it over
        completed = ToolCallCompleted(
            run_id=request.run_id,
            call_id=request.call_id,
            tool_id=request.tool_id,
            status=status,
            result=output,
            truncated=result.truncated or max(len(result.output), len(screened)) > MAX_RESULT_CHARS,
            error=error,
            exit_code=result.exit_code,
            duration_ms=duration_ms,
            isolation=isolation.kind if request.kind == "builtin" else "none",
        )
        return Executed(completed, output[:SUMMARY_CHARS], screening)

    def limits(self, request: ToolCallAuthorized) -> Limits:
        """The pack's declared limits for the tool, the timeout capped by policy's and
        the service's."""
        sandbox = request.tool.get("sandbox") or {}
        return declared_limits(
            self._base,
            sandbox.get("timeout"),
            sandbox.get("memory_limit"),
            max_timeout_s=min(self._base.timeout_s, request.timeout_s),
        )


def _failure(result: ToolResult) -> str:
    if result.exit_code is not None:
        return f"the tool exited with status {result.exit_code}"
    return "the tool failed"
