"""What policy keeps: the runs it admitted (what output screening needs later) and the
audit of its decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from vasini_contracts.events.common import PackRef
from vasini_packs.models import Guardrails
from vasini_policy.domain.screening import Finding

Stage = Literal["admission", "output"]
Decision = Literal["admitted", "blocked", "screened"]


@dataclass(frozen=True, slots=True)
class AdmittedRun:
    """A run policy let in. `requested_at` is when the run entered the pipeline as far
    as policy can tell: the envelope time of its `run.composed`."""

    run_id: str
    pack: PackRef
    session_id: str | None
    guardrails: Guardrails
    requested_at: datetime


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
