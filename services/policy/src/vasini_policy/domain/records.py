"""What policy keeps: the runs it admitted (what output screening and tool rules need
later), its decisions on tool calls, and the audit of every decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from vasini_contracts.events.common import PackRef
from vasini_packs.models import Guardrails, RiskLevel, Tools
from vasini_policy.domain.screening import Finding

Stage = Literal["admission", "output", "tool", "approval"]
Decision = Literal["admitted", "blocked", "screened", "authorized", "denied", "approval_requested"]
CallDecision = Literal["authorized", "denied", "approval"]


@dataclass(frozen=True, slots=True)
class AdmittedRun:
    """A run policy let in. `requested_at` is when the run entered the pipeline as far
    as policy can tell: the envelope time of its `run.composed`."""

    run_id: str
    pack: PackRef
    session_id: str | None
    guardrails: Guardrails
    requested_at: datetime
    tools: Tools | None = None
    risk_level: RiskLevel = "medium"


@dataclass(frozen=True, slots=True)
class RunSoFar:
    """An admitted run with what policy already decided on it, read in one go."""

    run: AdmittedRun
    calls_so_far: int  # calls authorized or waiting for approval
    call_decided: bool  # whether the call asked about already has a decision
    output_decided: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One decision: the rules that fired and what was found, never the text. `reason`
    is the plain-language sentence a blocked run's error carries."""

    run_id: str
    event_id: UUID
    stage: Stage
    decision: Decision
    rules: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    reason: str | None = None
    call_id: str | None = None


@dataclass(frozen=True, slots=True)
class DecidedCall:
    """Policy's decision on one tool call. A call sent for approval keeps the
    `authorization` (the `tool.call.authorized` data) to emit if a person agrees."""

    run_id: str
    call_id: str
    tool_id: str
    step: int
    decision: CallDecision
    rule: str
    approval_id: str | None = None
    authorization: dict[str, Any] | None = None
