"""Ingress use cases: authenticate, create runs idempotently, read them, cancel them,
decide approvals (and expire them), and tenants for the platform admin. HTTP details
live in `api.py`."""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from vasini_contracts import CloudEvent, new_event
from vasini_contracts.events.approvals import ApprovalDecided
from vasini_contracts.events.runs import RunCancelRequested, RunRequested
from vasini_ingress.adapters.repository import (
    Decided,
    IngressRepository,
    RunEventRow,
    RunRow,
    StoredKey,
)
from vasini_ingress.domain.approvals import ApprovalDecision, ApprovalState, ApprovalView
from vasini_ingress.domain.errors import (
    ApprovalClosed,
    Forbidden,
    IdempotencyConflict,
    NotFound,
    RateLimited,
    RunFinished,
    Unauthenticated,
)
from vasini_ingress.domain.keys import issue_key, parse_token, secret_matches
from vasini_ingress.domain.runs import (
    TERMINAL_STATES,
    ErrorView,
    RunAccepted,
    RunCreate,
    RunView,
    TenantCreated,
    UsageView,
    links_of,
)

SOURCE = "/vasini/ingress"


class Limiter(Protocol):
    async def retry_after(self, tenant_id: str) -> int | None: ...


class Keys(Protocol):
    async def find(self, key_id: str) -> StoredKey | None: ...


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: a tenant's API key, or the platform admin (tenant None)."""

    tenant_id: str | None
    key_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.tenant_id is None


class IngressService:
    def __init__(
        self, repo: IngressRepository, keys: Keys, limiter: Limiter, admin_key: str | None
    ) -> None:
        self._repo = repo
        self._keys = keys
        self._limiter = limiter
        self._admin_key = admin_key

    async def authenticate(self, token: str | None) -> Caller:
        if not token:
            raise Unauthenticated("send your API key as `Authorization: Bearer <key>`")
        if self._admin_key and hmac.compare_digest(token, self._admin_key):
            return Caller(None)
        parsed = parse_token(token)
        stored = await self._keys.find(parsed[0]) if parsed else None
        if parsed is None or stored is None or stored.revoked:
            raise Unauthenticated("the API key is not valid")
        if not secret_matches(parsed[1], stored.secret_hash):
            raise Unauthenticated("the API key is not valid")
        wait = await self._limiter.retry_after(stored.tenant_id)
        if wait is not None:
            raise RateLimited(
                "too many requests for this tenant; slow down",
                headers={"Retry-After": str(wait)},
            )
        return Caller(stored.tenant_id, parsed[0])

    async def create_tenant(self, caller: Caller, name: str) -> TenantCreated:
        if not caller.is_admin:
            raise Forbidden("only the platform admin key may create tenants")
        tenant_id = f"t-{secrets.token_hex(6)}"
        key = issue_key()
        await self._repo.create_tenant(tenant_id, name, key.key_id, key.secret_hash)
        return TenantCreated(tenant_id=tenant_id, name=name, api_key=key.token)

    async def create_run(
        self, caller: Caller, body: RunCreate, idempotency_key: str, traceparent: str
    ) -> tuple[RunAccepted, bool]:
        """The accepted run and whether it is new (False: an idempotent retry)."""
        tenant_id = _tenant(caller)
        run_id = f"run-{uuid.uuid4().hex}"
        event = new_event(
            RunRequested(
                run_id=run_id,
                pack=body.pack,
                input=body.input,
                session_id=body.session_id,
                metadata=body.metadata,
            ),
            source=SOURCE,
            tenant_id=tenant_id,
            subject=f"run/{run_id}",
            correlation_id=run_id,
            traceparent=traceparent,
        )
        fingerprint = body.fingerprint()
        row, created = await self._repo.create_run(
            tenant_id,
            {
                "run_id": run_id,
                "pack": body.pack,
                "input": body.input,
                "session_id": body.session_id,
                "metadata": body.metadata,
                "idempotency_key": idempotency_key,
                "fingerprint": fingerprint,
            },
            event,
        )
        if not created and row.fingerprint != fingerprint:
            raise IdempotencyConflict(
                "this Idempotency-Key was already used with a different request body; "
                "use a new key for a new run"
            )
        return RunAccepted(run_id=row.run_id, state=row.state, links=links_of(row.run_id)), created

    async def get_run(self, caller: Caller, run_id: str) -> RunView:
        return _view(await self._existing(caller, run_id))

    async def cancel_run(self, caller: Caller, run_id: str, reason: str | None) -> None:
        tenant_id = _tenant(caller)
        event = new_event(
            RunCancelRequested(run_id=run_id, reason=reason, requested_by="api"),
            source=SOURCE,
            tenant_id=tenant_id,
            subject=f"run/{run_id}",
            correlation_id=run_id,
        )
        row = await self._repo.request_cancel(tenant_id, run_id, event)
        if row is None:
            raise _not_found(run_id)
        if row.state in TERMINAL_STATES:
            raise RunFinished(f"run {run_id} already finished ({row.state})")

    async def approvals(
        self, caller: Caller, state: ApprovalState, limit: int
    ) -> list[ApprovalView]:
        return await self._repo.approvals(_tenant(caller), state, limit)

    async def approval(self, caller: Caller, approval_id: str) -> ApprovalView:
        found = await self._repo.approval(_tenant(caller), approval_id)
        if found is None:
            raise NotFound(f"no approval {approval_id}")
        return found

    async def decide_approval(
        self, caller: Caller, approval_id: str, body: ApprovalDecision
    ) -> ApprovalView:
        """Approve or reject a pending approval (once: a second decision is a 409)."""
        tenant_id = _tenant(caller)
        decision: Decided = "approved" if body.decision == "approve" else "rejected"
        approval, decided = await self._repo.decide_approval(
            tenant_id,
            approval_id,
            decision,
            decided_by=caller.key_id,
            comment=body.comment,
            event=partial(_decided_event, tenant_id),
        )
        if approval is None:
            raise NotFound(f"no approval {approval_id}")
        if not decided:
            state = "expired" if approval.state == "pending" else approval.state
            raise ApprovalClosed(f"approval {approval_id} is already {state}; it cannot change")
        return approval

    async def expire_due(self, limit: int = 100) -> int:
        """Decide every approval past its deadline as `expired`; how many were."""
        expired = 0
        for tenant_id, approval_id in await self._repo.due_approvals(limit):
            _, decided = await self._repo.decide_approval(
                tenant_id,
                approval_id,
                "expired",
                decided_by=None,
                comment=None,
                event=partial(_decided_event, tenant_id),
            )
            if decided:
                expired += 1
            else:  # decided by a person meanwhile, or gone: nothing left to expire
                await self._repo.forget_deadline(approval_id)
        return expired

    async def events_after(self, caller: Caller, run_id: str, after: int) -> list[RunEventRow]:
        return await self._repo.events_after(_tenant(caller), run_id, after)

    async def ensure_visible(self, caller: Caller, run_id: str) -> RunRow:
        return await self._existing(caller, run_id)

    async def _existing(self, caller: Caller, run_id: str) -> RunRow:
        row = await self._repo.get_run(_tenant(caller), run_id)
        if row is None:
            raise _not_found(run_id)
        return row


def _decided_event(tenant_id: str, approval: ApprovalView) -> CloudEvent:
    assert approval.state != "pending"  # called with the approval as just decided
    return new_event(
        ApprovalDecided(
            approval_id=approval.approval_id,
            run_id=approval.run_id,
            call_id=approval.call_id,
            decision=approval.state,
            decided_by=approval.decided_by,
            comment=approval.comment,
        ),
        source=SOURCE,
        tenant_id=tenant_id,
        subject=f"run/{approval.run_id}",
        correlation_id=approval.run_id,
    )


def _tenant(caller: Caller) -> str:
    if caller.tenant_id is None:
        raise Forbidden("use a tenant's API key for runs; the admin key only manages tenants")
    return caller.tenant_id


def _not_found(run_id: str) -> NotFound:
    # Another tenant's run is indistinguishable from a missing one: RLS hides it.
    return NotFound(f"no run {run_id}")


def _view(row: RunRow) -> RunView:
    return RunView(
        run_id=row.run_id,
        pack=row.pack,
        pack_version=row.pack_version,
        state=row.state,
        input=row.input,
        session_id=row.session_id,
        metadata=row.metadata,
        output=row.output,
        usage=UsageView(**row.usage) if row.usage else None,
        steps=row.steps,
        error=ErrorView(**row.error) if row.error else None,
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
        links=links_of(row.run_id),
    )
