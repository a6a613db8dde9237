"""Executions in PostgreSQL: queued by the consumer (in its transaction), claimed by the
executor through leases, finished together with their `tool.call.completed` (outbox).

A runner that dies mid-call stops holding its lease; another claims the call when the
lease runs out and runs it again (tools run at least once, as every consumer here).

When this process's executor has a free slot, the consumer's transaction queues the
call already leased to it (`DirectStart`) and the executor starts it on commit: no
claim (chassis `Handoff`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Interval, bindparam, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database, tenant_of_row
from vasini_chassis.db.prebuilt import column_params, params_of
from vasini_chassis.messaging.context import child_traceparent
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.workers import Handoff
from vasini_contracts import new_event
from vasini_contracts.events.tools import ToolCallAuthorized, ToolCallCompleted
from vasini_guard import redact_secrets
from vasini_sandbox_runner.adapters.tables import execution_queue, executions

SOURCE = "/vasini/sandbox-runner"
LEASE_MARGIN_S = 30.0
# The columns of an execution written when it is queued, and when it has run.
KEPT = (
    "tenant_id",
    "run_id",
    "call_id",
    "tool_id",
    "kind",
    "arguments",
    "request",
    "approval_id",
    "traceparent",
    "state",
)
FINISHED = (
    "state",
    "status",
    "exit_code",
    "duration_ms",
    "result_summary",
    "screening",
    "truncated",
    "error",
    "isolation",
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A leased call; `request` is None once it has run (finished by a runner whose
    lease had run out meanwhile)."""

    tenant_id: str
    run_id: str
    call_id: str
    request: ToolCallAuthorized | None
    traceparent: str | None
    more_ready: bool = False  # another call was queued too: claim again without waiting


@dataclass(frozen=True, slots=True)
class DirectStart:
    """This process's executor, for calls its consumer's transactions lease to it, and
    the longest a call may run (`lease_s` of a claim)."""

    calls: Handoff[Claim]
    lease_s: float

    @property
    def lease(self) -> timedelta:
        return _lease(self.lease_s)


def _lease(lease_s: float) -> timedelta:
    """A call's lease: the longest it may run, and a margin for recording its end."""
    return timedelta(seconds=lease_s + LEASE_MARGIN_S)


# Built once (chassis db/prebuilt.py). The queue row's lease is NULL (claimable at once)
# when p_lease is.
_KEEP_CALL = (
    pg_insert(executions)
    .values(**column_params(executions, KEPT))
    .on_conflict_do_nothing()
    .returning(executions.c.call_id)
)
_QUEUE_CALL = pg_insert(execution_queue).values(
    **column_params(execution_queue, ("run_id", "call_id", "tenant_id")),
    lease_until=func.now() + bindparam("p_lease", type_=Interval),
)
_FINISH = (
    update(executions)
    .where(executions.c.run_id == bindparam("p_run"), executions.c.call_id == bindparam("p_call"))
    .values(**column_params(executions, FINISHED), request=None, finished_at=func.now())
)
_UNQUEUE = delete(execution_queue).where(
    execution_queue.c.run_id == bindparam("p_run"),
    execution_queue.c.call_id == bindparam("p_call"),
)


async def queue_execution(
    conn: AsyncConnection,
    tenant_id: str,
    call: ToolCallAuthorized,
    traceparent: str | None,
    direct: DirectStart | None = None,
) -> bool:
    """Keep the authorized call and queue it, leased to this process's executor when it
    has room; False if this call was seen before."""
    row = {
        "tenant_id": tenant_id,
        "run_id": call.run_id,
        "call_id": call.call_id,
        "tool_id": call.tool_id,
        "kind": call.kind,
        "arguments": redact_secrets(call.arguments),
        "request": call.model_dump(mode="json"),
        "approval_id": call.approval_id,
        "traceparent": traceparent,
        "state": "queued",
    }
    if await conn.scalar(_KEEP_CALL, params_of(row)) is None:
        return False
    slot = direct.calls.reserve(conn) if direct is not None else None
    queued = {"run_id": call.run_id, "call_id": call.call_id, "tenant_id": tenant_id}
    lease = direct.lease if slot is not None and direct is not None else None
    await conn.execute(_QUEUE_CALL, params_of(queued) | {"p_lease": lease})
    if slot is not None:
        slot.hand_over(Claim(tenant_id, call.run_id, call.call_id, call, traceparent))
    return True


class PgExecutions:
    def __init__(self, db: Database, *, stream_prefix: str) -> None:
        self._db = db
        self._prefix = stream_prefix

    async def claim(self, lease_s: float) -> Claim | None:
        """A queued call now leased to this runner for `lease_s` (its timeout plus a
        margin), with its request, or None. One transaction: the lease on the queue
        (no tenant needed), then the request under the call's tenant."""
        queue = execution_queue.c
        # The two oldest claimable calls: the first is leased, the second only tells
        # the worker to claim again rather than wait to be woken.
        ready = (
            select(queue.run_id, queue.call_id, queue.queued_at)
            .where(or_(queue.lease_until.is_(None), queue.lease_until < func.now()))
            .order_by(queue.queued_at)
            .limit(2)
            .with_for_update(skip_locked=True)
            .cte("ready")
        )
        oldest = select(ready.c.run_id, ready.c.call_id).order_by(ready.c.queued_at).limit(1)
        more_ready = select(func.count()).select_from(ready).scalar_subquery() > 1
        lease = _lease(lease_s)
        async with self._db.transaction() as conn:
            leased = (
                await conn.execute(
                    update(execution_queue)
                    .where(tuple_(queue.run_id, queue.call_id).in_(oldest))
                    .values(lease_until=func.now() + lease)
                    .returning(
                        queue.tenant_id,
                        queue.run_id,
                        queue.call_id,
                        more_ready,
                        tenant_of_row(queue.tenant_id),
                    )
                )
            ).first()
            if leased is None:
                return None
            tenant_id, run_id, call_id = str(leased[0]), str(leased[1]), str(leased[2])
            more = bool(leased[3])
            row = (
                await conn.execute(
                    select(executions.c.request, executions.c.traceparent).where(
                        executions.c.run_id == run_id, executions.c.call_id == call_id
                    )
                )
            ).first()
        if row is None or row[0] is None:
            return Claim(tenant_id, run_id, call_id, None, None, more)
        request = ToolCallAuthorized.model_validate(row[0])
        return Claim(tenant_id, run_id, call_id, request, row[1], more)

    async def finish(
        self,
        tenant_id: str,
        completed: ToolCallCompleted,
        summary: str,
        screening: dict[str, Any] | None,
        traceparent: str | None,
    ) -> None:
        """Record the outcome (with what the injection screening found), emit
        `tool.call.completed`, and take the call off the queue."""
        outcome = {
            "state": "done",
            "status": completed.status,
            "exit_code": completed.exit_code,
            "duration_ms": completed.duration_ms,
            "result_summary": summary,
            "screening": screening,
            "truncated": completed.truncated,
            "error": completed.error.model_dump(mode="json") if completed.error else None,
            "isolation": completed.isolation,
        }
        of_call = {"p_run": completed.run_id, "p_call": completed.call_id}
        async with self._db.transaction(tenant_id) as conn:
            await conn.execute(_FINISH, params_of(outcome) | of_call)
            event = new_event(
                completed,
                source=SOURCE,
                tenant_id=tenant_id,
                subject=f"run/{completed.run_id}",
                correlation_id=completed.run_id,
                traceparent=child_traceparent(traceparent),
            )
            await enqueue(conn, [event], stream_prefix=self._prefix)
            await conn.execute(_UNQUEUE, of_call)

    async def drop(self, run_id: str, call_id: str) -> None:
        """Take a call whose request is gone off the queue."""
        async with self._db.transaction() as conn:
            await conn.execute(
                delete(execution_queue).where(
                    execution_queue.c.run_id == run_id, execution_queue.c.call_id == call_id
                )
            )
