"""The async SQLAlchemy engine of a service and its tenant-scoped transactions.

Every table a service defines without a schema is mapped onto the service's own
Postgres schema (`schema_translate_map`), so the same table objects serve every
deployment and every test schema. A tenant transaction runs
`set_config('app.tenant_id', ..., true)` — the function form of `SET LOCAL` — which
the row-level security policies read; the setting dies with the transaction.

Transactions are begun, committed and rolled back here rather than by SQLAlchemy (its
connections run in autocommit mode, so it issues no BEGIN of its own): BEGIN and the
tenant's set_config then go to the server as one simple query, one round trip instead
of two, on every tenant transaction of every service.

Work that must wait until a transaction has committed (publishing its outbox rows,
messaging/publisher.py) registers with `after_commit`; what must be undone in the
process when it does not commit (a worker slot reserved for it, workers.py), with
`on_rollback`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from vasini_chassis.db.urls import sqlalchemy_url


async def set_tenant(conn: AsyncConnection, tenant_id: str) -> None:
    """Scope the current transaction to one tenant (transaction-local)."""
    await conn.execute(select(func.set_config("app.tenant_id", tenant_id, True)))


def tenant_of_row(tenant_column: ColumnElement[str]) -> ColumnElement[str]:
    """In the RETURNING of a statement that touches exactly one row: scopes the rest of
    the transaction to that row's tenant, as set_tenant would, without a round trip of
    its own (queue claims learn the tenant only from the row they lease)."""
    return func.set_config("app.tenant_id", tenant_column, True)


AfterCommit = Callable[[], Awaitable[None]]
OnRollback = Callable[[], None]
# Keys of the open transaction's callbacks in conn.info.
_AFTER_COMMIT = "vasini.after_commit"
_ON_ROLLBACK = "vasini.on_rollback"


def after_commit(conn: AsyncConnection, callback: AfterCommit) -> bool:
    """Await `callback` once the transaction of `conn` has committed and its connection
    is back in the pool (before `Database.transaction` returns); never if it rolls
    back. False, and nothing registered, when `conn` is not in a transaction of
    `Database.transaction`."""
    callbacks: list[AfterCommit] | None = conn.info.get(_AFTER_COMMIT)
    if callbacks is None:
        return False
    callbacks.append(callback)
    return True


def on_rollback(conn: AsyncConnection, callback: OnRollback) -> bool:
    """Call `callback` when the transaction of `conn` ends without committing (rolled
    back, or a COMMIT that failed or whose outcome is unknown), before the error
    leaves `Database.transaction`. False, and nothing registered, when `conn` is not in
    a transaction of `Database.transaction`."""
    callbacks: list[OnRollback] | None = conn.info.get(_ON_ROLLBACK)
    if callbacks is None:
        return False
    callbacks.append(callback)
    return True


# Names that are safe to write as a SQL literal; a tenant id of any other shape goes
# as a bind parameter.
_LITERAL_SAFE = re.compile(r"[A-Za-z0-9_.:@-]{1,200}")


def is_literal_safe(value: str) -> bool:
    """Whether `value` can be written between single quotes in SQL as it is."""
    return _LITERAL_SAFE.fullmatch(value) is not None


class Database:
    def __init__(
        self, url: str, *, schema: str, pool_size: int = 10, max_overflow: int = 5
    ) -> None:
        """`pool_size` connections stay open; a burst opens up to `max_overflow` more, each
        closed again when returned. A steady load above `pool_size` therefore pays a new
        connection (TCP, authentication, type introspection, statements prepared anew)
        per transaction: size the pool for the usual concurrency, not the average."""
        self.schema = schema
        self.engine: AsyncEngine = create_async_engine(
            sqlalchemy_url(url),
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=False,
            execution_options={"schema_translate_map": {None: schema}},
        )
        self._unmanaged = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @asynccontextmanager
    async def transaction(
        self, tenant_id: str | None = None, *, then: str | None = None
    ) -> AsyncIterator[AsyncConnection]:
        """One transaction; scoped to `tenant_id` when given. Commits on success.
        `then`: SQL with no parameters that runs right after BEGIN, in the same round
        trip (its rows are not returned; an error in it rolls back and is raised)."""
        callbacks: list[AfterCommit] = []
        undo: list[OnRollback] = []
        try:
            async with self._unmanaged.connect() as conn:
                # conn.info lives as long as the pooled connection: emptied on every exit.
                info = conn.info
                info[_AFTER_COMMIT] = callbacks
                info[_ON_ROLLBACK] = undo
                try:
                    async with self._transaction(conn, tenant_id, then):
                        yield conn
                finally:
                    info.pop(_AFTER_COMMIT, None)
                    info.pop(_ON_ROLLBACK, None)
        except BaseException:
            for rolled_back in undo:
                rolled_back()
            raise
        for callback in callbacks:  # committed, and the connection back in the pool
            await callback()

    @asynccontextmanager
    async def _transaction(
        self, conn: AsyncConnection, tenant_id: str | None, then: str | None
    ) -> AsyncIterator[None]:
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        literal = tenant_id is not None and _LITERAL_SAFE.fullmatch(tenant_id)
        begin = (
            f"BEGIN; SELECT set_config('app.tenant_id', '{tenant_id}', true)"
            if literal
            else "BEGIN"
        )
        try:
            await driver.execute(begin if then is None else f"{begin}; {then}")
        except BaseException:
            await _roll_back(conn, driver)
            raise
        try:
            if tenant_id is not None and not literal:
                await set_tenant(conn, tenant_id)
            yield
        except BaseException:
            await _roll_back(conn, driver)
            raise
        try:
            await driver.execute("COMMIT")
        except BaseException as error:
            # The server refused the commit: the transaction is over, the connection
            # fine. Anything else (cancelled, connection lost) leaves it unknown.
            if not isinstance(error, asyncpg.PostgresError):
                await conn.invalidate()
            raise

    @asynccontextmanager
    async def autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A connection on which every statement is a transaction of its own, scoped to
        no tenant (for chassis bookkeeping on tables without RLS)."""
        async with self._unmanaged.connect() as conn:
            yield conn

    async def ping(self) -> bool:
        async with self.engine.connect() as conn:
            return bool((await conn.execute(text("SELECT 1"))).scalar_one() == 1)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def _roll_back(conn: AsyncConnection, driver: Any) -> None:
    """Roll back after a failure (the caller re-raises it). A connection that cannot
    (interrupted mid-statement, broken) is discarded rather than returned to the pool
    in an unknown state."""
    try:
        await driver.execute("ROLLBACK")
    except Exception:
        await conn.invalidate()
    except BaseException:  # cancelled while rolling back: discard, and stay cancelled
        await conn.invalidate()
        raise
