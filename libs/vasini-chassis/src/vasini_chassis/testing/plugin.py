"""pytest fixtures: real PostgreSQL and Redis/Valkey for integration tests.

`VASINI_TEST_DATABASE_URL` / `VASINI_TEST_REDIS_URL` point the suite at running
servers (the URL's role must be able to create schemas and roles); otherwise an
embedded PostgreSQL and Valkey are started once per test session. Tests isolate
themselves with unique schema and stream names (`unique_name`), never by cleanup.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from vasini_chassis.db.engine import Database
from vasini_chassis.db.roles import APP_ROLE, provision_app_role
from vasini_chassis.embedded import start_postgres, start_valkey
from vasini_chassis.migrations.runner import migrate


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    configured = os.environ.get("VASINI_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    server = start_postgres()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    configured = os.environ.get("VASINI_TEST_REDIS_URL")
    if configured:
        yield configured
        return
    server = start_valkey()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_app_url(postgres_admin_url: str) -> str:
    """URL of the application role: no superuser, no BYPASSRLS, so RLS applies."""
    return asyncio.run(provision_app_role(postgres_admin_url))


@pytest.fixture
def unique_name() -> str:
    """A name no other test uses: for schemas, stream prefixes and consumer groups."""
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    """A client of the test Redis/Valkey, closed after the test."""
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def service_settings(
    unique_name: str, postgres_admin_url: str, postgres_app_url: str, redis_url: str
) -> dict[str, Any]:
    """Settings every service under test shares: the app role, the test servers, this
    test's own schema and stream prefix, and short timings so tests stay quick."""
    return {
        "database_url": postgres_app_url,
        "database_admin_url": postgres_admin_url,
        "redis_url": redis_url,
        "stream_prefix": f"{unique_name}.",
        "db_schema": unique_name,
        "read_block_ms": 100,
        # Far beyond any wait in a test: events move because NOTIFY wakes the relay.
        "relay_poll_s": 60.0,
        "shutdown_grace_s": 5.0,
    }


@asynccontextmanager
async def migrated_database(
    admin_url: str, app_url: str, schema: str, migrations: Path
) -> AsyncIterator[Database]:
    """A service's `migrations` run into `schema`, and that schema through the
    application role (subject to RLS): for tests of a service's stores."""
    await migrate(admin_url, migrations, schema=schema, app_role=APP_ROLE)
    database = Database(app_url, schema=schema)
    try:
        yield database
    finally:
        await database.dispose()
