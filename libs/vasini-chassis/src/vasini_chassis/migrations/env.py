"""The body of every service's `migrations/env.py` (which just calls `run_alembic_env()`).

`migrate()` hands over an open connection and the target schema through
`config.attributes`; the plain `alembic` command line works too, reading
`VASINI_DATABASE_ADMIN_URL` (or `VASINI_DATABASE_URL`) and `VASINI_MIGRATION_SCHEMA`.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from vasini_chassis.db.urls import sqlalchemy_url
from vasini_chassis.errors import ConfigurationError


def target_schema() -> str:
    """The schema the running migration applies to (use it in migration files)."""
    schema = context.config.attributes.get("schema") or os.environ.get("VASINI_MIGRATION_SCHEMA")
    if not schema:
        raise ConfigurationError("no target schema: set VASINI_MIGRATION_SCHEMA")
    return str(schema)


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        version_table_schema=target_schema(),
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    url = os.environ.get("VASINI_DATABASE_ADMIN_URL") or os.environ.get("VASINI_DATABASE_URL")
    if not url:
        raise ConfigurationError("set VASINI_DATABASE_ADMIN_URL to run migrations")
    engine = create_async_engine(sqlalchemy_url(url))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_configure_and_run)
    finally:
        await engine.dispose()


def run_alembic_env() -> None:
    if context.is_offline_mode():
        context.configure(
            url="postgresql://", version_table_schema=target_schema(), literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
    else:
        asyncio.run(_run_with_own_engine())
