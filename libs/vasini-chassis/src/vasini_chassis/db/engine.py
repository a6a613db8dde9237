"""The async SQLAlchemy engine of a service and its tenant-scoped transactions.

Every table a service defines without a schema is mapped onto the service's own
Postgres schema (`schema_translate_map`), so the same table objects serve every
deployment and every test schema. A tenant transaction runs
`set_config('app.tenant_id', ..., true)` — the function form of `SET LOCAL` — which
the row-level security policies read; the setting dies with the transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from vasini_chassis.db.urls import sqlalchemy_url


async def set_tenant(conn: AsyncConnection, tenant_id: str) -> None:
    """Scope the current transaction to one tenant (transaction-local)."""
    await conn.execute(select(func.set_config("app.tenant_id", tenant_id, True)))


class Database:
    def __init__(self, url: str, *, schema: str, pool_size: int = 5) -> None:
        self.schema = schema
        self.engine: AsyncEngine = create_async_engine(
            sqlalchemy_url(url),
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=False,
            execution_options={"schema_translate_map": {None: schema}},
        )

    @asynccontextmanager
    async def transaction(self, tenant_id: str | None = None) -> AsyncIterator[AsyncConnection]:
        """One transaction; scoped to `tenant_id` when given. Commits on success."""
        async with self.engine.begin() as conn:
            if tenant_id is not None:
                await set_tenant(conn, tenant_id)
            yield conn

    async def ping(self) -> bool:
        async with self.engine.connect() as conn:
            return bool((await conn.execute(text("SELECT 1"))).scalar_one() == 1)

    async def dispose(self) -> None:
        await self.engine.dispose()
