"""Runs in PostgreSQL: accepted by the consumer, claimed by executors through leases,
saved after every step together with the events the step emits (outbox).

When this process's executor has a free slot, the consumer's transaction leases the
run to it right away (`DirectStart`) and the executor starts it on commit, with what
the transaction read: no claim (chassis `Handoff`). An admitted run handed over so is
stored `running` at once: no transaction of its own for that move."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Delete,
    Executable,
    Update,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database, tenant_of_row
from vasini_chassis.db.prebuilt import column_params, params_of
from vasini_chassis.messaging.context import child_traceparent
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.workers import Handoff
from vasini_contracts import EventData, new_event
from vasini_runtime_worker.adapters.tables import run_queue, runs, tool_answers
from vasini_runtime_worker.domain.errors import LeaseLost
from vasini_runtime_worker.domain.run import (
    ClaimedRun,
    RunRecord,
    messages_from_json,
    messages_to_json,
)
from vasini_runtime_worker.domain.state_machine import FINAL, WAITING, transition
from vasini_runtime_worker.domain.tool_calls import ToolAnswer, calls_from_json, calls_to_json

SOURCE = "/vasini/runtime-worker"

# The claim's reads, built once (building and keying a statement costs more CPU than
# running it). Param: of_run.
_RUN = select(runs).where(runs.c.run_id == bindparam("of_run"))
_ANSWERS = select(
    tool_answers.c.call_id, tool_answers.c.kind, tool_answers.c.content, tool_answers.c.is_error
).where(tool_answers.c.run_id == bindparam("of_run"))


@dataclass(frozen=True, slots=True)
class DirectStart:
    """This process's executor, for runs its consumer's transactions lease to it."""

    runs: Handoff[ClaimedRun]
    owner: str
    lease: timedelta

    def lease_values(self) -> dict[str, Any]:
        return {"lease_owner": self.owner, "lease_until": func.now() + self.lease}


async def accept_run(
    conn: AsyncConnection, record: RunRecord, direct: DirectStart | None = None
) -> bool:
    """Store an admitted run and queue it (in the consumer's transaction). When this
    process's executor has room, the run is leased to it and stored already `running`
    (the executor starts it as this transaction commits): True, and the caller emits
    the state change. A run seen before is left as it is: admission is at-least-once
    upstream."""
    slot = direct.runs.reserve(conn) if direct is not None else None
    lease: dict[str, Any] = {}
    if slot is not None and direct is not None:
        record.state = transition(record.state, "running")
        lease = direct.lease_values()
    inserted = (
        await conn.execute(
            pg_insert(runs)
            .values(**_row(record))
            .on_conflict_do_nothing(index_elements=["run_id"])
            .returning(runs.c.run_id)
        )
    ).first()
    if inserted is None:
        return False  # a reserved slot goes back unused at the commit
    await conn.execute(
        pg_insert(run_queue)
        .values(run_id=record.run_id, tenant_id=record.tenant_id, ready_at=func.now(), **lease)
        .on_conflict_do_nothing()
    )
    if slot is None:
        return False
    slot.hand_over(ClaimedRun(record.tenant_id, record.run_id, record, []))
    return True


async def request_cancel(conn: AsyncConnection, run_id: str, reason: str | None) -> None:
    """Flag the run and wake it, so a waiting run is cancelled now, not at its deadline."""
    await conn.execute(
        update(runs)
        .where(runs.c.run_id == run_id)
        .values(cancel_requested=True, cancel_reason=reason, updated_at=func.now())
    )
    await _poke(conn, run_id)


async def record_answer(
    conn: AsyncConnection,
    tenant_id: str,
    run_id: str,
    answer: ToolAnswer,
    direct: DirectStart | None = None,
) -> None:
    """Keep what came back for a tool call (once per call and kind) and wake the run:
    lease it to this process's executor if it has room and nobody holds the run, else
    mark it ready for any worker's claim."""
    inserted = await conn.scalar(
        pg_insert(tool_answers)
        .values(
            tenant_id=tenant_id,
            run_id=run_id,
            call_id=answer.call_id,
            kind=answer.kind,
            content=answer.content,
            is_error=answer.is_error,
        )
        .on_conflict_do_nothing()
        .returning(tool_answers.c.call_id)
    )
    if inserted is None:
        return
    slot = direct.runs.reserve(conn) if direct is not None else None
    if slot is not None and direct is not None:
        taken = (
            await conn.execute(
                update(run_queue)
                .where(
                    run_queue.c.run_id == run_id,
                    or_(run_queue.c.lease_until.is_(None), run_queue.c.lease_until < func.now()),
                )
                # ready now: should this process die, the next claim takes the run.
                .values(ready_at=func.now(), poked=False, **direct.lease_values())
                .returning(run_queue.c.run_id)
            )
        ).first()
        if taken is not None:
            slot.hand_over(await _read_claimed(conn, tenant_id, run_id))
            return
    await _poke(conn, run_id)


async def _read_claimed(
    conn: AsyncConnection, tenant_id: str, run_id: str, *, more_ready: bool = False
) -> ClaimedRun:
    """The run just leased and, while it waits on tool calls, their answers so far."""
    of_run = {"of_run": run_id}
    row = (await conn.execute(_RUN, of_run)).mappings().first()
    record = None if row is None else _record(row)
    answers: list[ToolAnswer] = []
    if record is not None and record.state in WAITING:
        answers = [
            ToolAnswer(r.call_id, r.kind, r.content, r.is_error)
            for r in await conn.execute(_ANSWERS, of_run)
        ]
    return ClaimedRun(tenant_id, run_id, record, answers, more_ready=more_ready)


async def _poke(conn: AsyncConnection, run_id: str) -> None:
    """Make the run ready now, also if a worker holds it (its save keeps it ready)."""
    await conn.execute(
        update(run_queue)
        .where(run_queue.c.run_id == run_id)
        .values(ready_at=func.now(), poked=True)
    )


class PgRunStore:
    def __init__(self, db: Database, *, owner: str, lease_s: float, stream_prefix: str) -> None:
        self._db = db
        self._owner = owner
        self._lease = timedelta(seconds=lease_s)
        self._prefix = stream_prefix
        # Built once: building and keying a statement costs more CPU than running it.
        self._lease_next = self._lease_next_statement()
        # A finished run leaves the queue; a waiting one is parked until p_wake_at (a
        # poke while this worker held it, a tool answer or a cancel, keeps it ready);
        # one that goes on keeps its lease.
        self._save_final = self._save_statement(delete(run_queue))
        self._save_parked = self._save_statement(
            update(run_queue).values(
                ready_at=case(
                    (run_queue.c.poked, func.now()),
                    else_=bindparam("p_wake_at", type_=run_queue.c.ready_at.type),
                ),
                lease_owner=None,
                lease_until=None,
                poked=False,
            )
        )
        self._save_held = self._save_statement(
            update(run_queue).values(lease_until=func.now() + self._lease)
        )

    def _lease_next_statement(self) -> Executable:
        """Lease the oldest ready run nobody holds to this worker; returns its tenant and
        id, whether another was ready, and scopes the transaction to its tenant."""
        queue = run_queue.c
        # The two oldest ready runs: the first is claimed, the second only tells the
        # worker to claim again rather than wait to be woken.
        ready = (
            select(queue.run_id, queue.ready_at)
            .where(
                queue.ready_at <= func.now(),
                or_(queue.lease_until.is_(None), queue.lease_until < func.now()),
            )
            .order_by(queue.ready_at)
            .limit(2)
            .with_for_update(skip_locked=True)
            .cte("ready")
        )
        oldest = select(ready.c.run_id).order_by(ready.c.ready_at).limit(1).scalar_subquery()
        more_ready = select(func.count()).select_from(ready).scalar_subquery() > 1
        return (
            update(run_queue)
            .where(queue.run_id == oldest)
            .values(lease_owner=self._owner, lease_until=func.now() + self._lease, poked=False)
            .returning(queue.tenant_id, queue.run_id, more_ready, tenant_of_row(queue.tenant_id))
        )

    async def claim(self) -> ClaimedRun | None:
        """A run now leased to this worker, read in the same transaction, or None. The
        lease: the oldest ready run nobody holds, skipping rows others lock (the queue
        is not tenant-scoped); then the run and its tool answers under its tenant."""
        async with self._db.transaction() as conn:
            leased = (await conn.execute(self._lease_next)).first()
            if leased is None:
                return None
            tenant_id, run_id, more = str(leased[0]), str(leased[1]), bool(leased[2])
            return await _read_claimed(conn, tenant_id, run_id, more_ready=more)

    async def renew(self, run_id: str) -> bool:
        async with self._db.transaction() as conn:
            result = await conn.execute(
                update(run_queue)
                .where(run_queue.c.run_id == run_id, run_queue.c.lease_owner == self._owner)
                .values(lease_until=func.now() + self._lease)
                .returning(run_queue.c.run_id)
            )
            return result.first() is not None

    async def cancel_requested(self, tenant_id: str, run_id: str) -> bool:
        async with self._db.transaction(tenant_id) as conn:
            flag = await conn.scalar(select(runs.c.cancel_requested).where(runs.c.run_id == run_id))
        return bool(flag)

    async def drop(self, run_id: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(delete(run_queue).where(run_queue.c.run_id == run_id))

    def _save_statement(self, settle: Delete | Update) -> Executable:
        """The save of a step: settling the queue row (`settle`) checks the lease and
        locks the row, and the run row is updated only through it, so a lost lease
        changes nothing; one statement. Params: p_run, p_owner and `_progress`'s."""
        settled = settle.where(
            run_queue.c.run_id == bindparam("p_run"),
            run_queue.c.lease_owner == bindparam("p_owner"),
        )
        cte = settled.returning(run_queue.c.run_id).cte("settled")
        return (
            update(runs)
            .where(runs.c.run_id == cte.c.run_id)
            .values(**column_params(runs, PROGRESS), updated_at=func.now())
            .returning(runs.c.run_id)
        )

    async def save(
        self, record: RunRecord, events: Sequence[EventData], *, wake_at: datetime | None
    ) -> None:
        params = params_of(_progress(record))
        params |= {"p_run": record.run_id, "p_owner": self._owner}
        if record.state in FINAL:
            statement = self._save_final
        elif wake_at is not None:
            statement, params["p_wake_at"] = self._save_parked, wake_at
        else:
            statement = self._save_held
        async with self._db.transaction(record.tenant_id) as conn:
            if (await conn.execute(statement, params)).first() is None:
                raise LeaseLost(record.run_id)
            await enqueue(
                conn, [self._event(record, e) for e in events], stream_prefix=self._prefix
            )

    def _event(self, record: RunRecord, data: EventData) -> Any:
        return new_event(
            data,
            source=SOURCE,
            tenant_id=record.tenant_id,
            subject=f"run/{record.run_id}",
            correlation_id=record.run_id,
            traceparent=child_traceparent(record.traceparent),
        )


# The columns `_progress` fills: the parameters of the prebuilt saves.
PROGRESS = (
    "state",
    "step",
    "messages",
    "input_tokens",
    "output_tokens",
    "delta_seq",
    "calls",
)


def _progress(record: RunRecord) -> dict[str, Any]:
    """What a step changes; the rest of the row is fixed when the run is admitted, and
    the cancel columns belong to cancel requests."""
    return {
        "state": record.state,
        "step": record.step,
        "messages": messages_to_json(record.messages),
        "input_tokens": record.input_tokens,
        "output_tokens": record.output_tokens,
        "delta_seq": record.delta_seq,
        "calls": calls_to_json(record.calls),
    }


def _row(record: RunRecord) -> dict[str, Any]:
    return {
        "tenant_id": record.tenant_id,
        "run_id": record.run_id,
        "pack": record.pack,
        "config": record.config,
        "tier": record.tier,
        "input": record.input,
        "session_id": record.session_id,
        "requested_at": record.requested_at,
        "deadline_at": record.deadline_at,
        "traceparent": record.traceparent,
        "state": record.state,
        "step": record.step,
        "messages": messages_to_json(record.messages),
        "input_tokens": record.input_tokens,
        "output_tokens": record.output_tokens,
        "delta_seq": record.delta_seq,
        "cancel_requested": record.cancel_requested,
        "cancel_reason": record.cancel_reason,
        "calls": calls_to_json(record.calls),
    }


def _record(row: Any) -> RunRecord:
    return RunRecord(
        tenant_id=row["tenant_id"],
        run_id=row["run_id"],
        pack=row["pack"],
        config=row["config"],
        tier=row["tier"],
        input=row["input"],
        session_id=row["session_id"],
        requested_at=row["requested_at"],
        deadline_at=row["deadline_at"],
        traceparent=row["traceparent"],
        state=row["state"],
        step=row["step"],
        messages=messages_from_json(row["messages"]),
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        delta_seq=row["delta_seq"],
        cancel_requested=row["cancel_requested"],
        cancel_reason=row["cancel_reason"],
        calls=calls_from_json(row["calls"]),
    )
