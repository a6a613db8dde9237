"""`PolicyStore` on PostgreSQL, inside the handler's tenant-scoped transaction."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import exists, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_contracts.events.common import PackRef
from vasini_packs.models import Guardrails
from vasini_policy.adapters.tables import admitted_runs, audit
from vasini_policy.domain.records import AdmittedRun, AuditEntry, Stage


class SqlPolicyStore:
    def __init__(self, conn: AsyncConnection, tenant_id: str) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def decided(self, run_id: str, stage: Stage) -> bool:
        query = select(exists().where(audit.c.run_id == run_id, audit.c.stage == stage))
        return bool(await self._conn.scalar(query))

    async def remember(self, run: AdmittedRun) -> bool:
        inserted = await self._conn.scalar(
            pg_insert(admitted_runs)
            .values(
                tenant_id=self._tenant_id,
                run_id=run.run_id,
                pack=run.pack.model_dump(mode="json"),
                session_id=run.session_id,
                guardrails=run.guardrails.model_dump(mode="json", exclude_none=True),
                requested_at=run.requested_at,
            )
            .on_conflict_do_nothing(index_elements=[admitted_runs.c.run_id])
            .returning(admitted_runs.c.run_id)
        )
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
        if row is None:
            return None
        return AdmittedRun(
            run_id=row["run_id"],
            pack=PackRef.model_validate(row["pack"]),
            session_id=row["session_id"],
            guardrails=Guardrails.model_validate(row["guardrails"]),
            requested_at=row["requested_at"],
        )

    async def audit(self, entry: AuditEntry) -> None:
        await self._conn.execute(
            insert(audit).values(
                tenant_id=self._tenant_id,
                run_id=entry.run_id,
                event_id=entry.event_id,
                stage=entry.stage,
                decision=entry.decision,
                rules=list(entry.rules),
                findings=[asdict(f) for f in entry.findings],
                reason=entry.reason,
            )
        )
