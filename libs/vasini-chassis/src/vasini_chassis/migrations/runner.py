"""Apply a service's migrations to its schema, then grant the application role."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from vasini_chassis.db.roles import ensure_app_role, grant_schema
from vasini_chassis.db.tables import quote_ident
from vasini_chassis.db.urls import sqlalchemy_url


def _alembic_config(script_location: Path, schema: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["schema"] = schema
    return config


def _upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(
    admin_url: str,
    script_location: Path,
    *,
    schema: str,
    app_role: str | None = None,
) -> None:
    """Create the schema if needed, upgrade to head, and grant `app_role` DML on it."""
    engine = create_async_engine(sqlalchemy_url(admin_url))
    try:
        async with engine.begin() as conn:
            # Serialise concurrent migrators of the same schema (replicas starting together).
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": schema})
            await conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}"))
            await conn.run_sync(_upgrade, _alembic_config(script_location, schema))
            if app_role is not None:
                await ensure_app_role(conn, app_role)
                await grant_schema(conn, schema, app_role)
    finally:
        await engine.dispose()
