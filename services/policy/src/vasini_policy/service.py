"""Policy's use cases: admit a composed run, screen a produced output.

Each decision emits exactly one event (through `emit`, i.e. the outbox of the current
transaction) and writes one audit entry (`PolicyStore.audit`, same transaction). A run
gets one admission decision and one output decision, whatever arrives twice: a
redelivered event is dropped by the chassis inbox, and an event for a run already
decided (a new event id for the same run) changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal, Protocol
from uuid import UUID

from pydantic import ValidationError

from vasini_contracts import EventData
from vasini_contracts.events.common import ErrorInfo
from vasini_contracts.events.runs import Finding as FindingData
from vasini_contracts.events.runs import (
    RunAdmitted,
    RunCompleted,
    RunComposed,
    RunFailed,
    RunOutputProduced,
)
from vasini_packs import ComposedPack
from vasini_policy.domain.errors import RunIdTaken, RunNotAdmitted
from vasini_policy.domain.records import AdmittedRun, AuditEntry, Stage
from vasini_policy.domain.screening import Admission, admit, screen

STAGE = "policy"
Outcome = Literal["admitted", "blocked", "screened", "already decided"]


class PolicyStore(Protocol):
    """Policy's state, inside the transaction of the event being handled (tenant-scoped)."""

    async def decided(self, run_id: str, stage: Stage) -> bool:
        """Whether the run already has a decision of this stage."""
        ...

    async def remember(self, run: AdmittedRun) -> bool:
        """Record an admitted run; False when the run id belongs to another tenant."""
        ...

    async def admitted(self, run_id: str) -> AdmittedRun | None: ...

    async def audit(self, entry: AuditEntry) -> None: ...


class PolicyService:
    def __init__(
        self,
        store: PolicyStore,
        emit: Callable[[EventData], object],
        *,
        now: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._emit = emit
        self._now = now

    async def admit_run(self, data: RunComposed, *, event_id: UUID, at: datetime) -> Outcome:
        """Screen the input of a composed run (`at`: the envelope time of `run.composed`)."""
        if await self._store.decided(data.run_id, "admission"):
            return "already decided"
        try:
            guardrails = ComposedPack.from_config(data.config).guardrails
        except ValidationError:
            unreadable = Admission(
                data.input,
                rules=("pack.config",),
                blocked_because="policy cannot read the composed pack configuration of this run",
            )
            await self._block(
                data, event_id=event_id, at=at, code="PACK_INVALID", decision=unreadable
            )
            return "blocked"
        decision = admit(guardrails, data.input)
        if decision.blocked_because is not None:
            await self._block(
                data, event_id=event_id, at=at, code="INPUT_BLOCKED", decision=decision
            )
            return "blocked"
        run = AdmittedRun(data.run_id, data.pack, data.session_id, guardrails, at)
        if not await self._store.remember(run):
            raise RunIdTaken(data.run_id)
        spec = data.model_dump(exclude={"requested", "input"})
        findings = [
            FindingData(kind=f.kind, action=f.action, detail=f.detail) for f in decision.findings
        ]
        self._emit(RunAdmitted(**spec, input=decision.text, findings=findings))
        await self._store.audit(
            AuditEntry(
                data.run_id, event_id, "admission", "admitted", decision.rules, decision.findings
            )
        )
        return "admitted"

    async def screen_output(self, data: RunOutputProduced, *, event_id: UUID) -> Outcome:
        """Screen a run's answer and complete the run. Raises RunNotAdmitted when policy
        has no admitted run of this id (for this tenant)."""
        run = await self._store.admitted(data.run_id)
        if run is None:
            raise RunNotAdmitted(data.run_id)
        if await self._store.decided(data.run_id, "output"):
            return "already decided"
        screened = screen(run.guardrails, data.output)
        self._emit(
            RunCompleted(
                run_id=data.run_id,
                pack=run.pack,
                session_id=run.session_id,
                output=screened.text,
                usage=data.usage,
                steps=data.steps,
                redactions=list(screened.redactions),
                duration_ms=self._ms_since(run.requested_at),
            )
        )
        await self._store.audit(
            AuditEntry(
                data.run_id, event_id, "output", "screened", screened.rules, screened.findings
            )
        )
        return "screened"

    async def _block(
        self, data: RunComposed, *, event_id: UUID, at: datetime, code: str, decision: Admission
    ) -> None:
        reason = decision.blocked_because or "the input was refused"
        self._emit(
            RunFailed(
                run_id=data.run_id,
                stage=STAGE,
                error=ErrorInfo(code=code, message=reason, retryable=False),
                pack=data.pack,
                duration_ms=self._ms_since(at),
            )
        )
        await self._store.audit(
            AuditEntry(
                data.run_id,
                event_id,
                "admission",
                "blocked",
                decision.rules,
                decision.findings,
                reason,
            )
        )

    def _ms_since(self, start: datetime) -> int:
        return max(int((self._now() - start).total_seconds() * 1000), 0)
