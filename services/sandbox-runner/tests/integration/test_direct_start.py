"""Calls the consumer's transaction leases straight to this process's executor start
without a claim, and announce nothing (no executor is woken to claim them); without a
free slot a call is queued unleased and announced, as before."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import select

from vasini_chassis.db.engine import Database
from vasini_chassis.db.notifications import table_channel
from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.testing.plugin import migrated_database
from vasini_chassis.testing.waiting import eventually
from vasini_chassis.workers import ClaimingWorker, Handoff
from vasini_contracts.events.tools import ToolCallAuthorized
from vasini_sandbox_runner.adapters.store import (
    Claim,
    DirectStart,
    PgExecutions,
    queue_execution,
)
from vasini_sandbox_runner.adapters.tables import execution_queue
from vasini_sandbox_runner.app import MIGRATIONS

TENANT = "tenant-direct"
FOREVER_S = 3600.0
TRACEPARENT = "00-" + "1" * 32 + "-" + "2" * 16 + "-01"


@pytest.fixture
async def db(
    postgres_admin_url: str, postgres_app_url: str, unique_name: str
) -> AsyncIterator[Database]:
    async with migrated_database(
        postgres_admin_url, postgres_app_url, unique_name, MIGRATIONS
    ) as database:
        yield database


class Announcements:
    """Notifications of the execution_queue trigger, as they arrive."""

    def __init__(self, conn: asyncpg.Connection, channel: str) -> None:
        self.conn, self.channel = conn, channel
        self.seen: list[str] = []

    async def all_so_far(self) -> list[str]:
        """Every notification committed before now (markers left out): PostgreSQL
        delivers them in commit order, so once a marker sent now arrives, the earlier
        ones have too."""
        marker = f"marker-{len(self.seen)}"
        await self.conn.execute("SELECT pg_notify($1, $2)", self.channel, marker)
        await eventually(lambda: marker in self.seen, what="the marker notification")
        before = self.seen[: self.seen.index(marker)]
        return [payload for payload in before if not payload.startswith("marker-")]


@pytest.fixture
async def announced(postgres_admin_url: str, unique_name: str) -> AsyncIterator[Announcements]:
    conn = await asyncpg.connect(asyncpg_dsn(postgres_admin_url))
    announcements = Announcements(conn, table_channel(unique_name, "execution_queue"))
    await conn.add_listener(announcements.channel, lambda *a: announcements.seen.append(a[3]))
    try:
        yield announcements
    finally:
        await conn.close()


def call(call_id: str) -> ToolCallAuthorized:
    return ToolCallAuthorized(
        run_id="run-direct",
        call_id=call_id,
        tool_id="echo",
        tool={"id": "echo"},
        arguments={"text": call_id},
        risk="low",
        timeout_s=30,
    )


async def leased(db: Database, call_id: str) -> bool:
    async with db.transaction() as conn:
        until = await conn.scalar(
            select(execution_queue.c.lease_until).where(execution_queue.c.call_id == call_id)
        )
    return until is not None


async def test_a_call_with_a_free_slot_starts_here_unannounced(
    db: Database, announced: Announcements
) -> None:
    started: list[Claim] = []

    async def execute(claim: Claim) -> None:
        started.append(claim)

    async def claim() -> Claim | None:
        raise AssertionError("a handed-over call needs no claim")

    direct = DirectStart(Handoff(), lease_s=60)
    ClaimingWorker(claim, execute, max_concurrent=1, idle_poll_s=FOREVER_S, handoff=direct.calls)
    async with db.transaction(TENANT) as conn:
        await queue_execution(conn, TENANT, call("c-1"), TRACEPARENT, direct)

    await eventually(lambda: len(started) == 1, what="the call handed over")
    assert started[0] == Claim(TENANT, "run-direct", "c-1", call("c-1"), TRACEPARENT)
    assert await leased(db, "c-1")
    assert await PgExecutions(db, stream_prefix="direct.").claim(60) is None
    assert await announced.all_so_far() == []

    async with db.transaction(TENANT) as conn:  # no executor given: queued for claiming
        await queue_execution(conn, TENANT, call("c-2"), None)
    assert await announced.all_so_far() == [""]
    assert not await leased(db, "c-2")
    queued = await PgExecutions(db, stream_prefix="direct.").claim(60)
    assert queued is not None
    assert queued.call_id == "c-2"
