"""The application role services connect as, and the grants it needs on a schema.

The role is a plain login role: NOSUPERUSER and NOBYPASSRLS, so row-level security
applies to everything it does. Migrations run as the schema owner (admin URL).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from vasini_chassis.db.tables import quote_ident
from vasini_chassis.db.urls import sqlalchemy_url, with_user

APP_ROLE = "vasini_app"
"""The application role of dev stacks and tests."""


async def ensure_app_role(conn: AsyncConnection, role: str, password: str | None = None) -> None:
    exists = (
        await conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    ).first()
    options = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
    if not exists:
        await conn.execute(text(f"CREATE ROLE {quote_ident(role)} {options}"))
    if password is not None:
        # Role DDL takes no bind parameters; the literal is escaped by doubling quotes.
        literal = "'" + password.replace("'", "''") + "'"
        await conn.execute(text(f"ALTER ROLE {quote_ident(role)} PASSWORD {literal}"))


async def grant_schema(conn: AsyncConnection, schema: str, role: str) -> None:
    s, r = quote_ident(schema), quote_ident(role)
    for statement in (
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # The migration bookkeeping belongs to the owner alone.
        f"REVOKE ALL ON {s}.alembic_version FROM {r}",
    ):
        await conn.execute(text(statement))


async def provision_app_role(admin_url: str, role: str = APP_ROLE) -> str:
    """Create the application role on the server of `admin_url`; returns its URL.

    Safe to run concurrently (an advisory lock serialises the check-then-create).
    """
    engine = create_async_engine(sqlalchemy_url(admin_url))
    try:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('vasini_app_role'))"))
            await ensure_app_role(conn, role)
    finally:
        await engine.dispose()
    return with_user(admin_url, role)
