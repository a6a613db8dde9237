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
from collections.abc import Iterator

import pytest

from vasini_chassis.db.roles import provision_app_role
from vasini_chassis.embedded import start_postgres, start_valkey


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
