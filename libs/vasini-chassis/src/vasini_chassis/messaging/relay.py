"""The outbox relay: moves committed outbox rows to Redis Streams.

One batch = one transaction: lock and mark up to `batch_size` unpublished rows in one
statement (`FOR UPDATE SKIP LOCKED`, so relays of several replicas share the work),
XADD them with one script call, and commit only after Redis has answered. Until that
commit the marks are invisible and undone by any failure: a crash between the XADD and
the commit rolls them back and the rows are sent again — a duplicate, which the
consumers' inbox absorbs, never a loss.

Rows their producing process publishes itself right after its commit
(messaging/publisher.py) carry a lease, `relay_after`: the relay leaves them alone
until it expires, and so only sends them if that process died or could not reach Redis.

The relay sleeps until `wake()` — the service runtime calls it on the NOTIFY a
trigger sends when outbox rows without a lease are inserted (see db/notifications.py) —
and polls every `poll_interval` seconds as a fallback, e.g. while LISTEN is down.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import timedelta
from operator import itemgetter

from redis.asyncio import Redis
from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database
from vasini_chassis.logging import get_logger
from vasini_chassis.messaging.statements import OutboxRow, claim_outbox_sql, fetch
from vasini_chassis.messaging.tables import outbox
from vasini_chassis.messaging.xadd import BatchXadd

log = get_logger(__name__)
_PURGE_EVERY_S = 300.0


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        redis: Redis,
        *,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        retention: timedelta = timedelta(days=1),
    ) -> None:
        self._db = db
        self._xadd = BatchXadd(redis)
        self._claim_sql = claim_outbox_sql(db.schema)
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._retention = retention
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.published_total = 0

    async def relay_once(self) -> int:
        """Publish one batch; returns how many rows it moved."""
        async with self._db.transaction() as conn:
            rows = await self._claim_batch(conn)
            if not rows:
                return 0
            await self._publish(rows)
        self.published_total += len(rows)
        return len(rows)

    async def _claim_batch(self, conn: AsyncConnection) -> list[OutboxRow]:
        """Lock and mark (uncommitted) the next rows, in outbox order."""
        rows = await fetch(conn, self._claim_sql, self._batch_size)
        return sorted(rows, key=itemgetter(0))

    async def _publish(self, rows: Sequence[OutboxRow]) -> None:
        await self._xadd([(row[1], row[2]) for row in rows])

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
        loop = asyncio.get_running_loop()
        next_purge = loop.time() + _PURGE_EVERY_S
        while not self._stopping.is_set():
            # Cleared before the batch, not after: a wake-up that arrives while the
            # batch runs (rows committed after its snapshot) must not be lost.
            self._wake.clear()
            try:
                moved = await self.relay_once()
                if loop.time() >= next_purge:
                    next_purge = loop.time() + _PURGE_EVERY_S
                    await self.purge_published()
            except Exception:
                log.exception("outbox relay batch failed; retrying")
                moved = 0
            if moved < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)

    def wake(self) -> None:
        """New rows were committed: relay now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
