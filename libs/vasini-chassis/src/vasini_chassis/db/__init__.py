"""PostgreSQL access: engine, tenant-scoped transactions, RLS tables, roles."""

from __future__ import annotations

from vasini_chassis.db.engine import Database
from vasini_chassis.db.tables import tenant_table
from vasini_chassis.db.urls import asyncpg_dsn, sqlalchemy_url, url_user, with_user

__all__ = ["Database", "asyncpg_dsn", "sqlalchemy_url", "tenant_table", "url_user", "with_user"]
