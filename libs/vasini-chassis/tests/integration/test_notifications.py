"""The process-wide LISTEN connection: delivery by channel, and recovery after the
connection is lost (waiters are told to look, then notifications flow again)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from vasini_chassis.db.notifications import RECONNECTED, Notifications, table_channel
from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.testing.waiting import eventually


@pytest.fixture
async def admin(postgres_admin_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(asyncpg_dsn(postgres_admin_url))
    try:
        yield conn
    finally:
        await conn.close()


async def test_notifications_reach_the_callbacks_of_their_channel_only(
    postgres_app_url: str, admin: asyncpg.Connection, unique_name: str
) -> None:
    jobs, other = table_channel(unique_name, "jobs"), table_channel(unique_name, "other")
    seen: list[tuple[str, str]] = []
    listener = Notifications(postgres_app_url)
    listener.subscribe(jobs, lambda payload: seen.append(("jobs", payload)))
    listener.subscribe(other, lambda payload: seen.append(("other", payload)))
    task = asyncio.create_task(listener.run())
    try:
        await eventually(lambda: listener.listening, what="the listener to connect")
        await admin.execute("SELECT pg_notify($1, 'run-7')", jobs)
        await eventually(lambda: ("jobs", "run-7") in seen, what="the notification")
        with pytest.raises(RuntimeError):
            listener.subscribe(jobs, lambda _: None)
    finally:
        listener.stop()
        await asyncio.wait_for(task, timeout=10)
    assert seen == [("jobs", RECONNECTED), ("other", RECONNECTED), ("jobs", "run-7")]


async def test_a_lost_listen_connection_is_replaced_and_waiters_are_told_to_look(
    postgres_app_url: str, admin: asyncpg.Connection, unique_name: str
) -> None:
    channel = table_channel(unique_name, "jobs")
    seen: list[str] = []
    listener = Notifications(postgres_app_url, application_name=unique_name, retry_s=0.1)
    listener.subscribe(channel, seen.append)
    task = asyncio.create_task(listener.run())
    try:
        await eventually(lambda: seen == [RECONNECTED], what="the first connection")
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = $1 AND pid <> pg_backend_pid()",
            unique_name,
        )
        assert killed == 1
        await eventually(lambda: seen.count(RECONNECTED) >= 2, what="the reconnection")
        await eventually(lambda: listener.listening, what="listening again")
        await admin.execute("SELECT pg_notify($1, 'after')", channel)
        await eventually(lambda: "after" in seen, what="a notification after reconnecting")
    finally:
        listener.stop()
        await asyncio.wait_for(task, timeout=10)
