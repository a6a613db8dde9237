"""`CompositionStore` on PostgreSQL, inside the handler's tenant-scoped transaction."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_composer.adapters.tables import compositions
from vasini_composer.domain.records import Composition


class SqlCompositionStore:
    def __init__(self, conn: AsyncConnection, tenant_id: str) -> None:
        self._conn = conn
        self._tenant_id = tenant_id

    async def record(self, composition: Composition) -> bool:
        inserted = await self._conn.scalar(
            insert(compositions)
            .values(
                tenant_id=self._tenant_id,
                run_id=composition.run_id,
                event_id=composition.event_id,
                requested=composition.requested,
                outcome=composition.outcome,
                pack_id=composition.pack_id,
                version=composition.version,
                digest=composition.digest,
                message=composition.message,
            )
            .on_conflict_do_nothing(index_elements=[compositions.c.run_id])
            .returning(compositions.c.run_id)
        )
        return inserted is not None

    async def recorded(self, run_id: str) -> bool:
        # RLS shows only this tenant's rows: False for another tenant's run id.
        query = select(exists().where(compositions.c.run_id == run_id))
        return bool(await self._conn.scalar(query))
