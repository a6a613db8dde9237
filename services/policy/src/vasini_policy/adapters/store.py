"""`PolicyStore` on PostgreSQL, inside the handler's tenant-scoped transaction.

The statements of every run's decisions are built once, with bind parameters:
building a statement and computing its cache key costs more CPU than running it
(docs/adr/0013); a column's value is its `p_` parameter (chassis db/prebuilt.py).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import (
    Boolean,
    Select,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    null,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.prebuilt import column_params, params_of
from vasini_contracts.events.common import PackRef
from vasini_packs.models import Guardrails, Tools
from vasini_policy.adapters.tables import admitted_runs, audit, tool_calls
from vasini_policy.domain.records import (
    AdmittedRun,
    AuditEntry,
    CallDecision,
    DecidedCall,
    RunSoFar,
    Stage,
)

_DECIDED = select(
    exists().where(audit.c.run_id == bindparam("p_run"), audit.c.stage == bindparam("p_stage"))
)
_REMEMBER = (
    pg_insert(admitted_runs)
    .values(
        **column_params(
            admitted_runs,
            (
                "tenant_id",
                "run_id",
                "pack",
                "session_id",
                "guardrails",
                "requested_at",
                "tools",
                "risk_level",
            ),
        )
    )
    .on_conflict_do_nothing(index_elements=[admitted_runs.c.run_id])
    .returning(admitted_runs.c.run_id)
)
_AUDIT = insert(audit).values(
    **column_params(
        audit,
        (
            "tenant_id",
            "run_id",
            "event_id",
            "stage",
            "decision",
            "rules",
            "findings",
            "reason",
            "call_id",
        ),
    )
)
_RECORD_CALL = (
    pg_insert(tool_calls)
    .values(
        **column_params(
            tool_calls,
            (
                "tenant_id",
                "run_id",
                "call_id",
                "tool_id",
                "step",
                "decision",
                "rule",
                "approval_id",
                "authorization",
            ),
        ),
        # Decided now, unless a person decides it later (p_pending).
        decided_at=case((bindparam("p_pending", type_=Boolean), null()), else_=func.now()),
    )
    .on_conflict_do_nothing()
    .returning(tool_calls.c.call_id)
)


def _so_far_query(*, of_call: bool) -> Select[Any]:
    """What a decision needs in one round trip, instead of a query per question. Params:
    p_run, and p_call when `of_call`."""
    of_run = tool_calls.c.run_id == admitted_runs.c.run_id
    counted = tool_calls.c.decision.in_(("authorized", "approval"))
    query = select(
        admitted_runs,
        select(func.count()).where(of_run, counted).scalar_subquery().label("calls_so_far"),
        (
            exists().where(of_run, tool_calls.c.call_id == bindparam("p_call"))
            if of_call
            else false()
        ).label("call_decided"),
        exists()
        .where(audit.c.run_id == admitted_runs.c.run_id, audit.c.stage == "output")
        .label("output_decided"),
    ).where(admitted_runs.c.run_id == bindparam("p_run"))
    if of_call:
        # Deciding a call counts the run's calls: take the run's lock so that two
        # replicas deciding calls of one run cannot both slip under the limit.
        query = query.with_for_update(of=admitted_runs)
    return query


_SO_FAR = _so_far_query(of_call=False)
_SO_FAR_OF_CALL = _so_far_query(of_call=True)


class SqlPolicyStore:
    def __init__(self, conn: AsyncConnection, tenant_id: str) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def decided(self, run_id: str, stage: Stage) -> bool:
        return bool(await self._conn.scalar(_DECIDED, {"p_run": run_id, "p_stage": stage}))

    async def remember(self, run: AdmittedRun) -> bool:
        row = {
            "tenant_id": self._tenant_id,
            "run_id": run.run_id,
            "pack": run.pack.model_dump(mode="json"),
            "session_id": run.session_id,
            "guardrails": run.guardrails.model_dump(mode="json", exclude_none=True),
            "requested_at": run.requested_at,
            "tools": run.tools.model_dump(mode="json", exclude_none=True) if run.tools else None,
            "risk_level": run.risk_level,
        }
        inserted = await self._conn.scalar(_REMEMBER, params_of(row))
        # Nothing inserted: the id is taken; RLS shows the row only if it is ours.
        return inserted is not None or await self.admitted(run.run_id) is not None

    async def admitted(self, run_id: str) -> AdmittedRun | None:
        row = (
            (
                await self._conn.execute(
                    select(admitted_runs).where(admitted_runs.c.run_id == run_id)
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _admitted(row)

    async def so_far(self, run_id: str, call_id: str | None = None) -> RunSoFar | None:
        if call_id is None:
            result = await self._conn.execute(_SO_FAR, {"p_run": run_id})
        else:
            result = await self._conn.execute(_SO_FAR_OF_CALL, {"p_run": run_id, "p_call": call_id})
        row = result.mappings().first()
        if row is None:
            return None
        return RunSoFar(
            _admitted(row),
            calls_so_far=int(row["calls_so_far"]),
            call_decided=bool(row["call_decided"]),
            output_decided=bool(row["output_decided"]),
        )

    async def audit(self, entry: AuditEntry) -> None:
        row = {
            "tenant_id": self._tenant_id,
            "run_id": entry.run_id,
            "event_id": entry.event_id,
            "stage": entry.stage,
            "decision": entry.decision,
            "rules": list(entry.rules),
            "findings": [asdict(f) for f in entry.findings],
            "reason": entry.reason,
            "call_id": entry.call_id,
        }
        await self._conn.execute(_AUDIT, params_of(row))

    async def decided_call(self, run_id: str, call_id: str) -> DecidedCall | None:
        row = (
            (
                await self._conn.execute(
                    select(tool_calls).where(
                        tool_calls.c.run_id == run_id, tool_calls.c.call_id == call_id
                    )
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _decided(row)

    async def record_call(self, call: DecidedCall) -> bool:
        row = {
            "tenant_id": self._tenant_id,
            "run_id": call.run_id,
            "call_id": call.call_id,
            "tool_id": call.tool_id,
            "step": call.step,
            "decision": call.decision,
            "rule": call.rule,
            "approval_id": call.approval_id,
            "authorization": call.authorization,
        }
        pending = {"p_pending": call.decision == "approval"}
        inserted = await self._conn.scalar(_RECORD_CALL, params_of(row) | pending)
        return inserted is not None

    async def settle_approval(
        self, approval_id: str, decision: CallDecision, rule: str
    ) -> DecidedCall | None:
        row = (
            (
                await self._conn.execute(
                    update(tool_calls)
                    .where(
                        tool_calls.c.approval_id == approval_id,
                        tool_calls.c.decision == "approval",
                    )
                    .values(decision=decision, rule=rule, decided_at=func.now())
                    .returning(*tool_calls.c)
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _decided(row)


def _decided(row: Any) -> DecidedCall:
    return DecidedCall(
        run_id=row["run_id"],
        call_id=row["call_id"],
        tool_id=row["tool_id"],
        step=row["step"],
        decision=row["decision"],
        rule=row["rule"],
        approval_id=row["approval_id"],
        authorization=row["authorization"],
    )


def _admitted(row: Any) -> AdmittedRun:
    return AdmittedRun(
        run_id=row["run_id"],
        pack=PackRef.model_validate(row["pack"]),
        session_id=row["session_id"],
        guardrails=Guardrails.model_validate(row["guardrails"]),
        requested_at=row["requested_at"],
        tools=Tools.model_validate(row["tools"]) if row["tools"] is not None else None,
        risk_level=row["risk_level"] or "medium",
    )
