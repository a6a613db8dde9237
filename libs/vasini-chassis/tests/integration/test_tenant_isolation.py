"""Row-level security, exercised as the non-superuser application role."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from vasini_chassis.db.engine import Database
from vasini_chassis.migrations import migrate
from vasini_chassis.testing.example.app import MIGRATIONS
from vasini_chassis.testing.example.handlers import effects

ROWS_OF_A, ROWS_OF_B = 2, 3


@pytest.fixture
async def app_db(
    postgres_admin_url: str, postgres_app_url: str, unique_name: str, admin_db: Database
) -> AsyncIterator[Database]:
    """The example schema with rows of two tenants, seen through the application role."""
    await migrate(postgres_admin_url, MIGRATIONS, schema=unique_name, app_role="vasini_app")
    async with admin_db.transaction() as conn:
        await conn.execute(
            insert(effects),
            [
                {
                    "tenant_id": tenant,
                    "event_id": uuid.uuid4(),
                    "run_id": f"{tenant}-{n}",
                    "input": "original",
                }
                for tenant, count in (("tenant-a", ROWS_OF_A), ("tenant-b", ROWS_OF_B))
                for n in range(count)
            ],
        )
    db = Database(postgres_app_url, schema=unique_name)
    try:
        yield db
    finally:
        await db.dispose()


async def rows_of(db: Database, tenant: str, *, where_input: str | None = None) -> int:
    query = select(func.count()).select_from(effects).where(effects.c.tenant_id == tenant)
    if where_input is not None:
        query = query.where(effects.c.input == where_input)
    async with db.transaction() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_app_role_is_subject_to_row_level_security(app_db: Database) -> None:
    async with app_db.transaction() as conn:
        role = (
            await conn.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            )
        ).one()
    assert (role.rolsuper, role.rolbypassrls) == (False, False)


async def test_tenant_a_cannot_read_update_or_delete_rows_of_tenant_b(
    app_db: Database, admin_db: Database
) -> None:
    async with app_db.transaction(tenant_id="tenant-a") as conn:
        visible = (await conn.execute(select(effects.c.tenant_id))).scalars().all()
        assert sorted(visible) == ["tenant-a"] * ROWS_OF_A
        selected_b = await conn.execute(
            select(func.count()).select_from(effects).where(effects.c.tenant_id == "tenant-b")
        )
        assert selected_b.scalar_one() == 0
        updated = await conn.execute(
            update(effects).where(effects.c.tenant_id == "tenant-b").values(input="hijacked")
        )
        assert updated.rowcount == 0
        deleted = await conn.execute(delete(effects).where(effects.c.tenant_id == "tenant-b"))
        assert deleted.rowcount == 0
        updated_all = await conn.execute(update(effects).values(input="mine"))
        assert updated_all.rowcount == ROWS_OF_A, "an unfiltered UPDATE reaches only A's rows"

    assert await rows_of(admin_db, "tenant-b", where_input="original") == ROWS_OF_B
    assert await rows_of(admin_db, "tenant-a", where_input="mine") == ROWS_OF_A


async def test_tenant_a_cannot_insert_a_row_for_tenant_b(
    app_db: Database, admin_db: Database
) -> None:
    row = {"tenant_id": "tenant-b", "event_id": uuid.uuid4(), "run_id": "smuggled", "input": "x"}
    with pytest.raises(DBAPIError, match="row-level security"):
        async with app_db.transaction(tenant_id="tenant-a") as conn:
            await conn.execute(insert(effects).values(**row))
    assert await rows_of(admin_db, "tenant-b") == ROWS_OF_B


async def test_without_a_tenant_scope_nothing_is_visible_or_writable(app_db: Database) -> None:
    async with app_db.transaction() as conn:
        assert (await conn.execute(select(func.count()).select_from(effects))).scalar_one() == 0
        assert (await conn.execute(delete(effects))).rowcount == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        async with app_db.transaction() as conn:
            await conn.execute(
                insert(effects).values(
                    tenant_id="tenant-a", event_id=uuid.uuid4(), run_id="unscoped", input="x"
                )
            )
