"""Ingress data access: tenants and keys, runs, the per-run event log, approvals, the
outbox.

Run rows are written in tenant transactions (RLS applies); the run and its
`run.requested` event are committed together through the chassis outbox.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Executable, bindparam, case, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.outbox import enqueue
from vasini_contracts import CloudEvent
from vasini_ingress.adapters.tables import (
    api_keys,
    approval_deadlines,
    approvals,
    run_events,
    runs,
    tenants,
)
from vasini_ingress.domain.approvals import ApprovalState, ApprovalView
from vasini_ingress.domain.runs import TERMINAL_STATES

Decided = Literal["approved", "rejected", "expired"]


@dataclass(frozen=True, slots=True)
class StoredKey:
    tenant_id: str
    secret_hash: str
    revoked: bool


@dataclass(frozen=True, slots=True)
class RunRow:
    run_id: str
    pack: str
    pack_version: str | None
    input: str
    session_id: str | None
    metadata: dict[str, Any]
    state: str
    output: str | None
    usage: dict[str, Any] | None
    steps: int
    error: dict[str, Any] | None
    fingerprint: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RunEventRow:
    seq: int  # the log's order across runs: the SSE event id
    n: int | None  # 1, 2, 3, ... within the run (None: logged before numbering existed)
    kind: str
    data: dict[str, Any]


class IngressRepository:
    def __init__(self, db: Database, stream_prefix: str) -> None:
        self._db = db
        self._prefix = stream_prefix

    async def create_tenant(self, tenant_id: str, name: str, key_id: str, secret_hash: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(insert(tenants).values(tenant_id=tenant_id, name=name))
            await conn.execute(
                insert(api_keys).values(key_id=key_id, tenant_id=tenant_id, secret_hash=secret_hash)
            )

    async def find_key(self, key_id: str) -> StoredKey | None:
        async with self._db.transaction() as conn:
            row = (
                await conn.execute(
                    select(
                        api_keys.c.tenant_id, api_keys.c.secret_hash, api_keys.c.revoked_at
                    ).where(api_keys.c.key_id == key_id)
                )
            ).first()
        return None if row is None else StoredKey(row[0], row[1], row[2] is not None)

    async def create_run(
        self, tenant_id: str, values: dict[str, Any], event: CloudEvent
    ) -> tuple[RunRow, bool]:
        """Insert the run and enqueue `event`, or return the run already stored under
        the same idempotency key (created = False; nothing enqueued)."""
        async with self._db.transaction(tenant_id) as conn:
            inserted = (
                (
                    await conn.execute(
                        pg_insert(runs)
                        .values(tenant_id=tenant_id, state="queued", **values)
                        .on_conflict_do_nothing(constraint="uq_runs_idempotency")
                        .returning(*runs.c)
                    )
                )
                .mappings()
                .first()
            )
            if inserted is not None:
                await enqueue(conn, [event], stream_prefix=self._prefix)
                await project(conn, values["run_id"], "state", data={"state": "queued"})
                return _run_row(inserted), True
            query = select(runs).where(runs.c.idempotency_key == values["idempotency_key"])
            row = (await conn.execute(query)).mappings().one()
        return _run_row(row), False

    async def get_run(self, tenant_id: str, run_id: str) -> RunRow | None:
        async with self._db.transaction(tenant_id) as conn:
            row = (
                (await conn.execute(select(runs).where(runs.c.run_id == run_id))).mappings().first()
            )
        return None if row is None else _run_row(row)

    async def request_cancel(self, tenant_id: str, run_id: str, event: CloudEvent) -> RunRow | None:
        """Enqueue the cancel request unless the run is unknown or already finished."""
        async with self._db.transaction(tenant_id) as conn:
            row = (
                (await conn.execute(select(runs).where(runs.c.run_id == run_id).with_for_update()))
                .mappings()
                .first()
            )
            if row is not None and row["state"] not in TERMINAL_STATES:
                await enqueue(conn, [event], stream_prefix=self._prefix)
        return None if row is None else _run_row(row)

    async def events_after(
        self, tenant_id: str, run_id: str, after: int, limit: int = 500
    ) -> list[RunEventRow]:
        async with self._db.transaction(tenant_id) as conn:
            rows = await conn.execute(
                select(run_events.c.seq, run_events.c.n, run_events.c.kind, run_events.c.data)
                .where(run_events.c.run_id == run_id, run_events.c.seq > after)
                .order_by(run_events.c.seq)
                .limit(limit)
            )
            return [RunEventRow(*row) for row in rows]

    async def approvals(
        self, tenant_id: str, state: ApprovalState, limit: int
    ) -> list[ApprovalView]:
        async with self._db.transaction(tenant_id) as conn:
            rows = await conn.execute(
                select(approvals)
                .where(approvals.c.state == state)
                .order_by(approvals.c.created_at, approvals.c.approval_id)
                .limit(limit)
            )
            return [_approval(row) for row in rows.mappings()]

    async def approval(self, tenant_id: str, approval_id: str) -> ApprovalView | None:
        async with self._db.transaction(tenant_id) as conn:
            return await _one_approval(conn, approval_id)

    async def decide_approval(
        self,
        tenant_id: str,
        approval_id: str,
        decision: Decided,
        *,
        decided_by: str | None,
        comment: str | None,
        event: Callable[[ApprovalView], CloudEvent],
    ) -> tuple[ApprovalView | None, bool]:
        """Settle a pending, unexpired approval and enqueue `event(approval)`; returns
        the approval as it now is, and whether this call decided it."""
        open_ = [approvals.c.approval_id == approval_id, approvals.c.state == "pending"]
        if decision != "expired":
            open_.append(approvals.c.expires_at > func.now())
        async with self._db.transaction(tenant_id) as conn:
            row = (
                (
                    await conn.execute(
                        update(approvals)
                        .where(*open_)
                        .values(
                            state=decision,
                            decided_by=decided_by,
                            comment=comment,
                            decided_at=func.now(),
                        )
                        .returning(*approvals.c)
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                return await _one_approval(conn, approval_id), False
            decided = _approval(row)
            await conn.execute(
                delete(approval_deadlines).where(approval_deadlines.c.approval_id == approval_id)
            )
            await enqueue(conn, [event(decided)], stream_prefix=self._prefix)
            await project(
                conn,
                decided.run_id,
                "approval",
                data={"approval_id": approval_id, "call_id": decided.call_id, "state": decision},
            )
            return decided, True

    async def due_approvals(self, limit: int) -> list[tuple[str, str]]:
        """(tenant_id, approval_id) of approvals past their expiry, any tenant."""
        async with self._db.transaction() as conn:
            rows = await conn.execute(
                select(approval_deadlines.c.tenant_id, approval_deadlines.c.approval_id)
                .where(approval_deadlines.c.expires_at <= func.now())
                .order_by(approval_deadlines.c.expires_at)
                .limit(limit)
            )
            return [(str(tenant), str(approval)) for tenant, approval in rows]

    async def forget_deadline(self, approval_id: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                delete(approval_deadlines).where(approval_deadlines.c.approval_id == approval_id)
            )


async def record_approval(conn: AsyncConnection, tenant_id: str, values: dict[str, Any]) -> None:
    """Store a requested approval (in the consumer's transaction) with its deadline,
    and log it on the run's event stream. A request seen before changes nothing."""
    inserted = await conn.scalar(
        pg_insert(approvals)
        .values(tenant_id=tenant_id, state="pending", **values)
        .on_conflict_do_nothing(index_elements=["approval_id"])
        .returning(approvals.c.approval_id)
    )
    if inserted is None:
        return
    await conn.execute(
        insert(approval_deadlines).values(
            approval_id=values["approval_id"], tenant_id=tenant_id, expires_at=values["expires_at"]
        )
    )
    await project(
        conn,
        values["run_id"],
        "approval",
        data={
            "approval_id": values["approval_id"],
            "call_id": values["call_id"],
            "tool_id": values["tool_id"],
            "state": "pending",
            "expires_at": values["expires_at"].isoformat(),
        },
    )


async def _one_approval(conn: AsyncConnection, approval_id: str) -> ApprovalView | None:
    row = (
        (await conn.execute(select(approvals).where(approvals.c.approval_id == approval_id)))
        .mappings()
        .first()
    )
    return None if row is None else _approval(row)


def _approval(row: Any) -> ApprovalView:
    return ApprovalView.model_validate({name: row[name] for name in ApprovalView.model_fields})


async def project(
    conn: AsyncConnection,
    run_id: str,
    kind: str,
    *,
    data: dict[str, Any],
    changes: dict[str, Any] | None = None,
) -> None:
    """Log an event as the run's next numbered one (for SSE), applying `changes` to the
    run row unless the run already ended, in one statement. Counting on the run row
    takes its lock first, so a run's events are numbered in commit order (live streams
    rely on it); an event for an unknown run is not logged."""
    changes = changes or {}
    params = {f"new_{name}": value for name, value in changes.items()}
    await conn.execute(
        _projection(tuple(changes)),
        {"of_run": run_id, "event_kind": kind, "event_data": data, **params},
    )


@functools.cache
def _projection(changed: tuple[str, ...]) -> Executable:
    """The statement of `project` for one set of changed columns, built once: building
    and keying a statement cost more CPU than running it (the hottest one of ingress,
    run once per run event). Params: of_run, event_kind, event_data, new_<column> per
    change (no param is named like a column: an UPDATE would set that column to it)."""
    final = runs.c.state.in_(TERMINAL_STATES)
    kept_once_final: dict[str, Any] = {
        name: case((final, runs.c[name]), else_=bindparam(f"new_{name}", type_=runs.c[name].type))
        for name in changed
    }
    if changed:
        kept_once_final["updated_at"] = case((final, runs.c.updated_at), else_=func.now())
    counted = (
        update(runs)
        .where(runs.c.run_id == bindparam("of_run"))
        .values(event_count=runs.c.event_count + 1, **kept_once_final)
        .returning(runs.c.tenant_id, runs.c.event_count)
        .cte("counted")
    )
    return insert(run_events).from_select(
        ["tenant_id", "run_id", "n", "kind", "data"],
        select(
            counted.c.tenant_id,
            bindparam("of_run", type_=run_events.c.run_id.type),
            counted.c.event_count,
            bindparam("event_kind", type_=run_events.c.kind.type),
            bindparam("event_data", type_=JSONB),
        ),
    )


def _run_row(row: Any) -> RunRow:
    return RunRow(**{name: row[name] for name in RunRow.__slots__})
