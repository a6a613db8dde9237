"""Tool calls: requested by the runtime, decided by policy, executed by the sandbox."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import RUN_ID, ErrorInfo, RiskLevel

CALL_ID = Field(min_length=1, max_length=128, description="Unique per tool call of a run.")
TOOL_ID = Field(min_length=1, max_length=128, description="Tool id as the pack declares it.")


@event("ai.vasini.tool.call.requested.v1")
class ToolCallRequested(EventData):
    run_id: str = RUN_ID
    call_id: str = CALL_ID
    step: int = Field(ge=0)
    tool_id: str = TOOL_ID
    arguments: dict[str, Any] = Field(description="Validated against the tool's schema.")


@event("ai.vasini.tool.call.authorized.v1")
class ToolCallAuthorized(EventData):
    run_id: str = RUN_ID
    call_id: str = CALL_ID
    tool_id: str = TOOL_ID
    arguments: dict[str, Any]
    risk: RiskLevel
    timeout_s: float = Field(gt=0, le=3_600)
    approval_id: str | None = Field(default=None, description="Set when a human approved.")


@event("ai.vasini.tool.call.denied.v1")
class ToolCallDenied(EventData):
    """The reason goes back to the model as the tool's result."""

    run_id: str = RUN_ID
    call_id: str = CALL_ID
    tool_id: str = TOOL_ID
    rule: str = Field(max_length=128, description="Policy rule that decided.")
    reason: str = Field(max_length=4_000)


@event("ai.vasini.tool.call.completed.v1")
class ToolCallCompleted(EventData):
    run_id: str = RUN_ID
    call_id: str = CALL_ID
    tool_id: str = TOOL_ID
    status: Literal["ok", "error", "timeout"]
    result: str = Field(max_length=1_000_000, description="Output the model sees (capped).")
    error: ErrorInfo | None = None
    exit_code: int | None = None
    duration_ms: int = Field(ge=0)
    isolation: str = Field(max_length=64, description="Sandbox that ran it, e.g. bubblewrap.")
