"""The outbox relay: moves committed outbox rows to Redis Streams.

One batch = one transaction: lock up to `batch_size` unpublished rows with
`FOR UPDATE SKIP LOCKED` (so relays of several replicas share the work), XADD them in
one pipeline, and mark them published only after Redis has answered. A crash between
the XADD and the commit rolls the marks back and the rows are sent again: a duplicate,
which the consumers' inbox absorbs, never a loss.

The relay sleeps on LISTEN (a statement trigger NOTIFYs on insert) and polls every
`poll_interval` seconds as a fallback, e.g. while the LISTEN connection is down.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import asyncpg
from redis.asyncio import Redis
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database
from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.logging import get_logger
from vasini_chassis.messaging.statements import MARK_PUBLISHED
from vasini_chassis.messaging.tables import outbox
from vasini_chassis.migrations.messaging import outbox_channel

log = get_logger(__name__)
_FIELD = b"cloudevent"
_PURGE_EVERY_S = 300.0


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        redis: Redis,
        *,
        listen_url: str,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        retention: timedelta = timedelta(days=1),
    ) -> None:
        self._db = db
        self._redis = redis
        self._listen_dsn = asyncpg_dsn(listen_url)
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._retention = retention
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.published_total = 0
        self.listening = False

    async def relay_once(self) -> int:
        """Publish one batch; returns how many rows it moved."""
        async with self._db.transaction() as conn:
            rows = await self._lock_batch(conn)
            if not rows:
                return 0
            await self._publish(rows)
            await self._mark_published(conn, [row.id for row in rows])
        self.published_total += len(rows)
        return len(rows)

    async def _lock_batch(self, conn: AsyncConnection) -> Sequence[Row[Any, Any, Any]]:
        query = (
            select(outbox.c.id, outbox.c.stream, outbox.c.payload)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.id)
            .limit(self._batch_size)
            .with_for_update(skip_locked=True)
        )
        return (await conn.execute(query)).all()

    async def _publish(self, rows: Sequence[Row[Any, Any, Any]]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for row in rows:
            pipe.xadd(row.stream, {_FIELD: row.payload.encode()})
        await pipe.execute()

    async def _mark_published(self, conn: AsyncConnection, ids: list[int]) -> None:
        await conn.execute(MARK_PUBLISHED, {"ids": ids})

    async def purge_published(self) -> int:
        """Delete rows published longer ago than the retention (kept for audit/debug)."""
        async with self._db.transaction() as conn:
            result = await conn.execute(
                delete(outbox).where(
                    outbox.c.published_at < func.now() - self._retention,
                )
            )
        return int(result.rowcount)

    async def run(self) -> None:
        """Relay until `stop()`; survives Redis/Postgres outages by retrying."""
        listener = asyncio.create_task(self._listen(), name="outbox-listen")
        loop = asyncio.get_running_loop()
        next_purge = loop.time() + _PURGE_EVERY_S
        try:
            while not self._stopping.is_set():
                try:
                    moved = await self.relay_once()
                    if loop.time() >= next_purge:
                        next_purge = loop.time() + _PURGE_EVERY_S
                        await self.purge_published()
                except Exception:
                    log.exception("outbox relay batch failed; retrying")
                    moved = 0
                if moved < self._batch_size:
                    await self._sleep()
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def _sleep(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def _listen(self) -> None:
        channel = outbox_channel(self._db.schema)

        def on_notify(*_: object) -> None:
            self._wake.set()

        while not self._stopping.is_set():
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(self._listen_dsn)
                await conn.add_listener(channel, on_notify)
                self.listening = True
                # Rows committed while we were not listening: look once now.
                self._wake.set()
                while not conn.is_closed() and not self._stopping.is_set():
                    # Wake on stop, or every poll interval to notice a dropped connection.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), self._poll_interval)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("outbox LISTEN connection lost; polling meanwhile", error=str(exc))
                await asyncio.sleep(self._poll_interval)
            finally:
                self.listening = False
                if conn is not None and not conn.is_closed():
                    await conn.close()
