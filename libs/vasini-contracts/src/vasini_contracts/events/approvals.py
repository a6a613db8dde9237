"""Human approval of risky tool calls.

policy → approval.requested → ingress (a person decides, or the deadline passes) →
approval.decided → policy, which then authorizes or denies the tool call.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import CallId, RiskLevel, RunId, ToolId, example

ApprovalId = Annotated[
    str, Field(min_length=1, max_length=128, description="Id of the approval request.")
]


@event("ai.vasini.approval.requested.v1")
class ApprovalRequested(EventData):
    """A tool call needs a person's approval before it may run."""

    model_config = example(
        approval_id="appr-9",
        run_id="run-42",
        call_id="call-3",
        tool_id="http_post",
        arguments={"url": "https://api.example.com/refunds", "amount": 120},
        risk="high",
        rule="approval_required",
        reason="Refunds above 100 USD need a human.",
        expires_at="2026-11-25T11:00:00Z",
    )

    approval_id: ApprovalId
    run_id: RunId
    call_id: CallId
    tool_id: ToolId
    arguments: dict[str, Any] = Field(description="The call's arguments, secrets redacted.")
    risk: RiskLevel = Field(description="Risk as policy rated the call.")
    rule: str = Field(
        min_length=1, max_length=128, description="Policy rule that asks for approval."
    )
    reason: str = Field(default="", max_length=4_000, description="Explanation for the approver.")
    expires_at: AwareDatetime = Field(
        description="After this time the request is decided as `expired` (a denial)."
    )


@event("ai.vasini.approval.decided.v1")
class ApprovalDecided(EventData):
    """A person approved or rejected the call, or the deadline passed (`expired`, which
    policy treats as a rejection). Exactly one decision is published per approval."""

    model_config = example(
        approval_id="appr-9",
        run_id="run-42",
        call_id="call-3",
        decision="approved",
        decided_by="key_3f9a",
        comment="Customer is eligible.",
    )

    approval_id: ApprovalId
    run_id: RunId
    call_id: CallId
    decision: Literal["approved", "rejected", "expired"] = Field(description="The outcome.")
    decided_by: str | None = Field(
        default=None, max_length=200, description="API key id of the approver; none if expired."
    )
    comment: str | None = Field(default=None, max_length=4_000, description="Approver's note.")
