"""Fixtures of the runtime-worker's store tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from vasini_chassis.db.engine import Database
from vasini_chassis.testing.plugin import migrated_database
from vasini_runtime_worker.app import MIGRATIONS


@pytest.fixture
async def db(
    postgres_admin_url: str, postgres_app_url: str, unique_name: str
) -> AsyncIterator[Database]:
    async with migrated_database(
        postgres_admin_url, postgres_app_url, unique_name, MIGRATIONS
    ) as database:
        yield database
