"""Human approval of risky tool calls."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import RUN_ID, RiskLevel

APPROVAL_ID = Field(min_length=1, max_length=128)


@event("ai.vasini.approval.requested.v1")
class ApprovalRequested(EventData):
    approval_id: str = APPROVAL_ID
    run_id: str = RUN_ID
    call_id: str = Field(min_length=1, max_length=128)
    tool_id: str = Field(min_length=1, max_length=128)
    arguments: dict[str, Any] = Field(description="Secrets redacted.")
    risk: RiskLevel
    rule: str = Field(max_length=128, description="Why approval is needed.")
    expires_at: AwareDatetime


@event("ai.vasini.approval.decided.v1")
class ApprovalDecided(EventData):
    """A human approved or rejected, or the deadline passed (`expired`, a denial)."""

    approval_id: str = APPROVAL_ID
    run_id: str = RUN_ID
    call_id: str = Field(min_length=1, max_length=128)
    decision: Literal["approved", "rejected", "expired"]
    decided_by: str | None = Field(default=None, max_length=200, description="API key id.")
    comment: str | None = Field(default=None, max_length=4_000)
