"""Database.transaction: scoped to the tenant whatever its id, rolled back on failure,
and a connection interrupted mid-statement never goes back to the pool."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError

from vasini_chassis.db.engine import Database
from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.testing.example.handlers import effects
from vasini_chassis.testing.waiting import eventually


async def setting(db: Database, tenant_id: str | None) -> str | None:
    async with db.transaction(tenant_id) as conn:
        value = await conn.scalar(text("SELECT current_setting('app.tenant_id', true)"))
    return None if value in (None, "") else str(value)


@pytest.mark.parametrize(
    "tenant_id", ["tenant-a", "org:acme.eu@2", "it's; SELECT 1 --", "back\\slash", "ünï"]
)
async def test_the_transaction_is_scoped_to_exactly_the_tenant_given(
    db: Database, tenant_id: str
) -> None:
    assert await setting(db, tenant_id) == tenant_id
    assert await setting(db, None) is None  # transaction-local: nothing carries over


async def test_a_failing_transaction_leaves_nothing_behind(db: Database) -> None:
    async def failing() -> None:
        async with db.transaction("tenant-a") as conn:
            await conn.execute(
                insert(effects).values(
                    tenant_id="tenant-a", event_id=uuid.uuid4(), run_id="r1", input="x"
                )
            )
            raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError, match="handler failed"):
        await failing()

    async with db.transaction("tenant-a") as conn:
        assert await conn.scalar(select(func.count()).select_from(effects)) == 0
        assert await conn.scalar(text("SELECT now() = statement_timestamp()")) is False


async def test_a_transaction_cancelled_mid_statement_does_not_poison_the_pool(
    db: Database, postgres_admin_url: str, unique_name: str
) -> None:
    stuck_sql = f"SELECT pg_sleep(30) -- {unique_name}"

    async def stuck() -> None:
        async with db.transaction("tenant-a") as conn:
            await conn.execute(
                insert(effects).values(
                    tenant_id="tenant-a", event_id=uuid.uuid4(), run_id="r2", input="x"
                )
            )
            await conn.execute(text(stuck_sql))

    task = asyncio.create_task(stuck())
    watcher = await asyncpg.connect(asyncpg_dsn(postgres_admin_url))
    try:
        await eventually(
            lambda: watcher.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = $1",
                stuck_sql,
            ),
            what="the statement to be running",
        )
    finally:
        await watcher.close()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    # The pool's one connection serves the next transaction, in a fresh transaction.
    async with db.transaction("tenant-a") as conn:
        assert await conn.scalar(select(func.count()).select_from(effects)) == 0
    assert await setting(db, "tenant-b") == "tenant-b"


async def test_a_connection_lost_mid_transaction_is_dropped_from_the_pool(
    db: Database, postgres_admin_url: str
) -> None:
    admin = Database(postgres_admin_url, schema="public")

    async def severed() -> None:
        async with db.transaction("tenant-a") as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
            async with admin.transaction() as other:
                await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            await conn.execute(text("SELECT 1"))

    try:
        with pytest.raises(DBAPIError):
            await severed()
    finally:
        await admin.dispose()

    # Returned to the pool, the dead connection would fail this transaction.
    assert await setting(db, "tenant-b") == "tenant-b"


async def test_a_burst_past_the_pool_closes_only_the_overflow_connections(
    postgres_app_url: str, unique_name: str
) -> None:
    database = Database(postgres_app_url, schema=unique_name, pool_size=2, max_overflow=1)

    async def burst() -> set[int]:
        """Three transactions open at once; the server process of each."""
        all_open = asyncio.Barrier(3)

        async def one() -> int:
            async with database.transaction() as conn:
                pid = int(await conn.scalar(text("SELECT pg_backend_pid()")))
                await all_open.wait()
            return pid

        return set(await asyncio.wait_for(asyncio.gather(one(), one(), one()), timeout=30))

    try:
        first, second = await burst(), await burst()
    finally:
        await database.dispose()

    assert len(first) == len(second) == 3  # pool plus overflow serve three at once
    assert len(first & second) == 2  # the pool's two stayed open, the overflow one did not


async def test_sql_sent_with_the_begin_runs_in_the_transaction_and_its_failure_rolls_back(
    db: Database,
) -> None:
    row = f"(7, 'tenant-a', '{uuid.uuid4()}', 'r1', 'x')"
    columns = "(id, tenant_id, event_id, run_id, input)"
    insert_row = f"INSERT INTO {db.schema}.effects {columns} VALUES {row}"

    with pytest.raises(asyncpg.UniqueViolationError):
        async with db.transaction("tenant-a", then=f"{insert_row}, {row}"):  # id 7 twice
            pass
    async with db.transaction("tenant-a", then=insert_row) as conn:  # the pool's one connection
        seen = await conn.scalar(select(func.count()).select_from(effects))

    assert seen == 1  # the second BEGIN's row, in its own transaction; none of the first's
    assert await setting(db, None) is None
