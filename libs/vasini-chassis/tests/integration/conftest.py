"""Fixtures of the chassis integration tests: the example service on unique names."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from vasini_chassis.db.engine import Database
from vasini_chassis.migrations import migrate
from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.example.app import MIGRATIONS, ExampleSettings, build_runtime


@pytest.fixture
def example_settings(
    unique_name: str, postgres_admin_url: str, postgres_app_url: str, redis_url: str
) -> Callable[..., ExampleSettings]:
    def make(**overrides: Any) -> ExampleSettings:
        values: dict[str, Any] = {
            "service_name": "example",
            "database_url": postgres_app_url,
            "database_admin_url": postgres_admin_url,
            "redis_url": redis_url,
            "stream_prefix": f"{unique_name}.",
            "db_schema": unique_name,
            "claim_idle_ms": 400,
            "read_block_ms": 100,
            # Far beyond any wait in the tests: events move because NOTIFY wakes the relay.
            "relay_poll_s": 60.0,
            "max_deliveries": 3,
            "shutdown_grace_s": 10.0,
        }
        values.update(overrides)
        return ExampleSettings(**values)

    return make


@pytest.fixture
def running_example(
    example_settings: Callable[..., ExampleSettings],
) -> Callable[..., AbstractAsyncContextManager[ServiceRuntime]]:
    @asynccontextmanager
    async def run(**overrides: Any) -> AsyncIterator[ServiceRuntime]:
        runtime = build_runtime(example_settings(**overrides))
        await runtime.start()
        try:
            yield runtime
        finally:
            await runtime.stop()

    return run


@pytest.fixture
async def admin_db(postgres_admin_url: str, unique_name: str) -> AsyncIterator[Database]:
    """The schema owner's view (superuser in tests): sees every tenant's rows."""
    db = Database(postgres_admin_url, schema=unique_name)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def db(
    postgres_admin_url: str, postgres_app_url: str, unique_name: str
) -> AsyncIterator[Database]:
    """The example service's schema, through the application role (subject to RLS), on
    a pool of one connection."""
    await migrate(postgres_admin_url, MIGRATIONS, schema=unique_name, app_role="vasini_app")
    database = Database(postgres_app_url, schema=unique_name, pool_size=1)
    try:
        yield database
    finally:
        await database.dispose()
