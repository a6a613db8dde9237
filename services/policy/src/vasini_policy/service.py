"""Policy's use cases: admit a composed run, authorize its tool calls (possibly through
a person's approval), screen a produced output.

Each decision emits exactly one event (through `emit`, i.e. the outbox of the current
transaction) and writes one audit entry (`PolicyStore.audit`, same transaction). A run
gets one admission decision and one output decision, whatever arrives twice: a
redelivered event is dropped by the chassis inbox, and an event for a run already
decided (a new event id for the same run) changes nothing. Likewise each tool call
gets one decision, and each approval is settled once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal, Protocol
from uuid import UUID, uuid4

from pydantic import ValidationError

from vasini_contracts import EventData
from vasini_contracts.events.approvals import ApprovalDecided, ApprovalRequested
from vasini_contracts.events.common import ErrorInfo
from vasini_contracts.events.runs import Finding as FindingData
from vasini_contracts.events.runs import (
    RunAdmitted,
    RunCompleted,
    RunComposed,
    RunFailed,
    RunOutputProduced,
)
from vasini_contracts.events.tools import ToolCallAuthorized, ToolCallDenied, ToolCallRequested
from vasini_guard import redact_secrets
from vasini_packs import ComposedPack
from vasini_policy.domain.errors import ApprovalUnknown, RunIdTaken, RunNotAdmitted
from vasini_policy.domain.records import (
    AdmittedRun,
    AuditEntry,
    CallDecision,
    DecidedCall,
    Decision,
    RunSoFar,
    Stage,
)
from vasini_policy.domain.screening import Admission, admit, screen
from vasini_policy.domain.tool_rules import ToolCall, decide

STAGE = "policy"
Outcome = Literal[
    "admitted",
    "blocked",
    "screened",
    "authorized",
    "denied",
    "approval requested",
    "already decided",
]


class PolicyStore(Protocol):
    """Policy's state, inside the transaction of the event being handled (tenant-scoped)."""

    async def decided(self, run_id: str, stage: Stage) -> bool:
        """Whether the run already has a decision of this stage."""
        ...

    async def remember(self, run: AdmittedRun) -> bool:
        """Record an admitted run; False when the run id belongs to another tenant."""
        ...

    async def so_far(self, run_id: str, call_id: str | None = None) -> RunSoFar | None:
        """The admitted run with its decisions so far (`call_decided` about `call_id`);
        None when policy never admitted it."""
        ...

    async def audit(self, entry: AuditEntry) -> None: ...

    async def decided_call(self, run_id: str, call_id: str) -> DecidedCall | None: ...

    async def record_call(self, call: DecidedCall) -> bool:
        """Record the decision on a call; False when the call already has one."""
        ...

    async def settle_approval(
        self, approval_id: str, decision: CallDecision, rule: str
    ) -> DecidedCall | None:
        """Turn a call waiting for approval `approval_id` into `decision`; None when no
        call waits for it (already settled, or unknown)."""
        ...


class PolicyService:
    def __init__(
        self,
        store: PolicyStore,
        emit: Callable[[EventData], object],
        *,
        now: Callable[[], datetime],
        approval_timeout_s: float = 900.0,
    ) -> None:
        self._store = store
        self._emit = emit
        self._now = now
        self._approval_timeout = timedelta(seconds=approval_timeout_s)

    async def admit_run(self, data: RunComposed, *, event_id: UUID, at: datetime) -> Outcome:
        """Screen the input of a composed run (`at`: the envelope time of `run.composed`)."""
        if await self._store.decided(data.run_id, "admission"):
            return "already decided"
        try:
            pack = ComposedPack.from_config(data.config)
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
        guardrails = pack.guardrails
        decision = admit(guardrails, data.input)
        if decision.blocked_because is not None:
            await self._block(
                data, event_id=event_id, at=at, code="INPUT_BLOCKED", decision=decision
            )
            return "blocked"
        run = AdmittedRun(
            data.run_id,
            data.pack,
            data.session_id,
            guardrails,
            at,
            tools=pack.tools,
            risk_level=pack.manifest.risk_level,
        )
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
        so_far = await self._store.so_far(data.run_id)
        if so_far is None:
            raise RunNotAdmitted(data.run_id)
        if so_far.output_decided:
            return "already decided"
        run = so_far.run
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

    async def authorize_call(self, data: ToolCallRequested, *, event_id: UUID) -> Outcome:
        """Decide a requested tool call: authorize it, deny it (the reason goes to the
        model), or ask a person. Raises RunNotAdmitted for a run policy never admitted."""
        so_far = await self._store.so_far(data.run_id, data.call_id)
        if so_far is None:
            raise RunNotAdmitted(data.run_id)
        if so_far.call_decided:
            return "already decided"
        run = so_far.run
        decision = decide(
            ToolCall(data.tool_id, data.step, data.arguments),
            tools=run.tools,
            guardrails=run.guardrails,
            pack_risk=run.risk_level,
            calls_so_far=so_far.calls_so_far,
        )
        call = DecidedCall(
            data.run_id, data.call_id, data.tool_id, data.step, "denied", decision.rule
        )
        if decision.verdict == "deny":
            await self._store.record_call(call)
            self._emit(
                ToolCallDenied(
                    run_id=data.run_id,
                    call_id=data.call_id,
                    tool_id=data.tool_id,
                    rule=decision.rule,
                    reason=decision.reason,
                )
            )
            await self._audit_call(
                data, event_id, decision="denied", rule=decision.rule, reason=decision.reason
            )
            return "denied"
        assert decision.tool is not None  # only undeclared tools have none, and those are denied
        authorization = ToolCallAuthorized(
            run_id=data.run_id,
            call_id=data.call_id,
            step=data.step,
            tool_id=data.tool_id,
            kind=decision.tool.kind,
            tool=decision.tool.model_dump(mode="json", exclude_none=True),
            arguments=data.arguments,
            risk=decision.risk,
            timeout_s=decision.timeout_s,
        )
        if decision.verdict == "allow":
            await self._store.record_call(replace(call, decision="authorized"))
            self._emit(authorization)
            await self._audit_call(data, event_id, decision="authorized", rule=decision.rule)
            return "authorized"
        approval_id = f"appr_{uuid4().hex}"
        await self._store.record_call(
            replace(
                call,
                decision="approval",
                approval_id=approval_id,
                authorization=authorization.model_dump(mode="json"),
            )
        )
        self._emit(
            ApprovalRequested(
                approval_id=approval_id,
                run_id=data.run_id,
                call_id=data.call_id,
                tool_id=data.tool_id,
                arguments=redact_secrets(data.arguments),
                risk=decision.risk,
                rule=decision.rule,
                reason=decision.reason,
                expires_at=self._now() + self._approval_timeout,
            )
        )
        await self._audit_call(
            data,
            event_id,
            decision="approval_requested",
            rule=decision.rule,
            reason=decision.reason,
        )
        return "approval requested"

    async def settle_approval(self, data: ApprovalDecided, *, event_id: UUID) -> Outcome:
        """A person decided (or the deadline passed): authorize the waiting call, or
        deny it with the decision as the reason. Raises ApprovalUnknown when policy
        never asked for this approval."""
        approved = data.decision == "approved"
        call = await self._store.settle_approval(
            data.approval_id, "authorized" if approved else "denied", f"approval_{data.decision}"
        )
        if call is None:
            known = await self._store.decided_call(data.run_id, data.call_id)
            if known is None or known.approval_id != data.approval_id:
                raise ApprovalUnknown(data.approval_id)
            return "already decided"
        if approved:
            assert call.authorization is not None  # every call sent for approval keeps one
            self._emit(
                ToolCallAuthorized.model_validate(
                    {**call.authorization, "approval_id": data.approval_id}
                )
            )
        else:
            self._emit(
                ToolCallDenied(
                    run_id=call.run_id,
                    call_id=call.call_id,
                    tool_id=call.tool_id,
                    rule=f"approval_{data.decision}",
                    reason=_approval_reason(data),
                    approval_id=data.approval_id,
                )
            )
        await self._store.audit(
            AuditEntry(
                call.run_id,
                event_id,
                "approval",
                "authorized" if approved else "denied",
                (f"approval_{data.decision}",),
                reason=data.comment,
                call_id=call.call_id,
            )
        )
        return "authorized" if approved else "denied"

    async def _audit_call(
        self,
        data: ToolCallRequested,
        event_id: UUID,
        *,
        decision: Decision,
        rule: str,
        reason: str | None = None,
    ) -> None:
        await self._store.audit(
            AuditEntry(
                data.run_id,
                event_id,
                "tool",
                decision,
                (rule,),
                reason=reason,
                call_id=data.call_id,
            )
        )

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


def _approval_reason(data: ApprovalDecided) -> str:
    if data.decision == "expired":
        return "nobody approved the call before its approval expired"
    note = f": {data.comment}" if data.comment else ""
    return f"a person rejected the call{note}"
