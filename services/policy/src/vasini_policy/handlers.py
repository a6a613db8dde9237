"""What policy consumes: `run.composed` (admission) and `run.output.produced` (output
screening). Every decision is audited in the same transaction as its event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Identity, MetaData, Text, func, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from vasini_chassis.db.tables import tenant_table
from vasini_chassis.errors import RejectEvent
from vasini_chassis.messaging import HandlerContext, Router
from vasini_contracts.events.common import ErrorInfo, PackRef, Usage
from vasini_contracts.events.runs import (
    Finding,
    RunAdmitted,
    RunCompleted,
    RunComposed,
    RunFailed,
    RunOutputProduced,
)
from vasini_packs import ComposedPack
from vasini_packs.models import Guardrails
from vasini_policy.domain.screening import admit, screen

metadata = MetaData()
admitted_runs = tenant_table(
    "admitted_runs",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("pack", JSONB, nullable=False),
    Column("session_id", Text),
    Column("guardrails", JSONB, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)
audit = tenant_table(
    "audit",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("run_id", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("rules", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

router = Router()


@router.on(RunComposed)
async def on_composed(ctx: HandlerContext, data: RunComposed) -> None:
    pack = ComposedPack.from_config(data.config)
    decision = admit(pack.guardrails, data.input)
    if decision.blocked_because is not None:
        ctx.emit(
            RunFailed(
                run_id=data.run_id,
                stage="policy",
                error=ErrorInfo(code="INPUT_BLOCKED", message=decision.blocked_because),
                pack=data.pack,
            )
        )
        await _audit(ctx, data.run_id, "admission", "blocked", decision.rules)
        return
    await ctx.conn.execute(
        pg_insert(admitted_runs)
        .values(
            tenant_id=ctx.tenant_id,
            run_id=data.run_id,
            pack=data.pack.model_dump(mode="json"),
            session_id=data.session_id,
            guardrails=pack.guardrails.model_dump(mode="json", exclude_none=True),
            requested_at=ctx.event.time,
        )
        .on_conflict_do_nothing()
    )
    spec = data.model_dump(exclude={"requested"})
    ctx.emit(
        RunAdmitted(
            **{**spec, "input": decision.text},
            findings=[
                Finding(kind=f.kind, action=f.action, detail=f.detail) for f in decision.findings
            ],
        )
    )
    await _audit(ctx, data.run_id, "admission", "admitted", decision.rules)


@router.on(RunOutputProduced)
async def on_output(ctx: HandlerContext, data: RunOutputProduced) -> None:
    row = (
        (await ctx.conn.execute(select(admitted_runs).where(admitted_runs.c.run_id == data.run_id)))
        .mappings()
        .first()
    )
    if row is None:
        # Output for a run policy never admitted: nothing may release it (dead letter).
        raise RejectEvent("RUN_NOT_ADMITTED", f"policy never admitted run {data.run_id}")
    screened = screen(Guardrails.model_validate(row["guardrails"]), data.output)
    elapsed = datetime.now(UTC) - row["requested_at"]
    ctx.emit(
        RunCompleted(
            run_id=data.run_id,
            pack=PackRef(**row["pack"]),
            session_id=row["session_id"],
            output=screened.text,
            usage=Usage(**data.usage.model_dump()),
            steps=data.steps,
            redactions=list(screened.redactions),
            duration_ms=max(int(elapsed.total_seconds() * 1000), 0),
        )
    )
    await _audit(ctx, data.run_id, "output", "screened", screened.rules)


async def _audit(ctx: HandlerContext, run_id: str, stage: str, decision: str, rules: Any) -> None:
    await ctx.conn.execute(
        insert(audit).values(
            tenant_id=ctx.tenant_id,
            run_id=run_id,
            stage=stage,
            decision=decision,
            rules=list(rules),
        )
    )
