"""Tool calls: requested by the runtime, decided by policy, executed by the sandbox.

runtime-worker → tool.call.requested → policy → tool.call.authorized → sandbox-runner →
tool.call.completed → runtime-worker; or policy → tool.call.denied → runtime-worker.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import CallId, ErrorInfo, RiskLevel, RunId, ToolId, example

_ARGS = {"text": "hello"}


@event("ai.vasini.tool.call.requested.v1")
class ToolCallRequested(EventData):
    """The model asked for a tool; the runtime validated the arguments against the
    tool's schema and waits for policy's decision."""

    model_config = example(
        run_id="run-42", call_id="call-1", step=1, tool_id="echo", arguments=_ARGS
    )

    run_id: RunId
    call_id: CallId
    step: int = Field(ge=0, description="Agent-loop step that asked for the call.")
    tool_id: ToolId
    arguments: dict[str, Any] = Field(description="Valid against the tool's JSON schema.")


@event("ai.vasini.tool.call.authorized.v1")
class ToolCallAuthorized(EventData):
    """Policy allowed the call (after a human approval when one was needed); the
    sandbox runs it. `tool` carries the declaration so the sandbox needs no pack state."""

    model_config = example(
        run_id="run-42",
        call_id="call-1",
        step=1,
        tool_id="echo",
        kind="builtin",
        tool={"id": "echo", "description": "Echo the text"},
        arguments=_ARGS,
        risk="low",
        timeout_s=30,
    )

    run_id: RunId
    call_id: CallId
    step: int = Field(default=0, ge=0, description="Agent-loop step that asked for the call.")
    tool_id: ToolId
    kind: Literal["builtin", "http"] = Field(
        default="builtin",
        description="A built-in sandboxed tool, or an HTTP tool declared by the pack.",
    )
    tool: dict[str, Any] = Field(
        default_factory=dict, description="The tool's declaration from the pack's TOOLS layer."
    )
    arguments: dict[str, Any] = Field(description="The arguments to run it with.")
    risk: RiskLevel = Field(description="Risk as policy rated the call.")
    timeout_s: float = Field(gt=0, le=3_600, description="Wall-clock limit of the execution.")
    approval_id: str | None = Field(
        default=None, max_length=128, description="Set when a human approved the call."
    )


@event("ai.vasini.tool.call.denied.v1")
class ToolCallDenied(EventData):
    """Policy refused the call; the reason goes back to the model as the tool's result."""

    model_config = example(
        run_id="run-42",
        call_id="call-2",
        tool_id="shell",
        rule="denied_tools",
        reason="The pack does not allow the shell tool.",
    )

    run_id: RunId
    call_id: CallId
    tool_id: ToolId
    rule: str = Field(
        min_length=1,
        max_length=128,
        description="Policy rule that decided, e.g. denied_tools, max_tool_calls, approval.",
    )
    reason: str = Field(max_length=4_000, description="Explanation shown to the model.")
    approval_id: str | None = Field(
        default=None, max_length=128, description="Set when a human rejected the call."
    )


@event("ai.vasini.tool.call.completed.v1")
class ToolCallCompleted(EventData):
    """The sandbox ran the call (successfully or not); the runtime resumes the run."""

    model_config = example(
        run_id="run-42",
        call_id="call-1",
        tool_id="echo",
        status="ok",
        result="hello",
        exit_code=0,
        duration_ms=12,
        isolation="bubblewrap",
    )

    run_id: RunId
    call_id: CallId
    tool_id: ToolId
    status: Literal["ok", "error", "timeout"] = Field(description="How the execution ended.")
    result: str = Field(max_length=1_000_000, description="Output the model sees (capped).")
    truncated: bool = Field(default=False, description="Whether `result` was cut at the cap.")
    error: ErrorInfo | None = Field(default=None, description="Set when status is not ok.")
    exit_code: int | None = Field(default=None, description="Process exit code, if a process.")
    duration_ms: int = Field(ge=0, description="Wall-clock time of the execution.")
    isolation: str = Field(
        min_length=1,
        max_length=64,
        description="Isolation that was active, e.g. bubblewrap, none (HTTP tools).",
    )
