"""Approvals as clients see and decide them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ApprovalState = Literal["pending", "approved", "rejected", "expired"]
APPROVAL_STATES: tuple[ApprovalState, ...] = ("pending", "approved", "rejected", "expired")


class ApprovalView(BaseModel):
    approval_id: str
    run_id: str
    call_id: str
    tool_id: str
    arguments: dict[str, Any] = Field(description="The call's arguments, secrets redacted.")
    risk: str
    rule: str = Field(description="The policy rule that asks for approval.")
    reason: str
    state: ApprovalState
    expires_at: datetime
    decided_by: str | None = None
    comment: str | None = None
    created_at: datetime
    decided_at: datetime | None = None


class ApprovalList(BaseModel):
    approvals: list[ApprovalView]


class ApprovalDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    comment: str | None = Field(default=None, max_length=4_000)
