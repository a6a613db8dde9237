"""Publish on commit: a transaction's outbox rows go to Redis as soon as it commits.

The relay (relay.py) reaches a row only when the NOTIFY of its insert wakes it, and
then spends a transaction of its own on it (BEGIN, claim-and-mark, COMMIT): on every
event hop, a wake-up and three statements (docs/adr/0012; publishing on commit took
0.3 to 0.8 ms off each hop, docs/adr/0013). The process that wrote the row knows the
moment it commits. So `enqueue` inserts its rows with a
lease (`relay_after`; until then the relay leaves them alone and the outbox trigger
sends no NOTIFY) and registers them with the transaction; once it has committed they
are XADDed at once, and marked published later, many rows per statement.

The outbox's promise holds (ARCHITECTURE.md §3): a process that dies after its commit,
or cannot reach Redis, leaves its rows to the relay when the lease ends — late, never
lost; a mark lost or late makes the relay send a row again — a duplicate, which the
consumers' inboxes absorb. After a failed XADD the publisher stands down for
`retry_after_s`: rows are then inserted without a lease, for the relay to send at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database
from vasini_chassis.logging import get_logger
from vasini_chassis.messaging.statements import (
    fetch,
    insert_outbox_leased_sql,
    mark_published_sql,
)
from vasini_chassis.messaging.xadd import BatchXadd

log = get_logger(__name__)

_PUBLISHER = "vasini.outbox_publisher"  # key in the info of every pooled connection
_RETRY_MARKS_S = 1.0


def publisher_of(conn: AsyncConnection) -> OutboxPublisher | None:
    """The publisher of the database `conn` belongs to, if it has one and it is
    publishing (not standing down after a failure)."""
    publisher: OutboxPublisher | None = conn.info.get(_PUBLISHER)
    return publisher if publisher is not None and publisher.available else None


class OutboxPublisher:
    def __init__(
        self,
        db: Database,
        redis: Redis,
        *,
        lease_s: float = 10.0,
        mark_linger_s: float = 0.5,
        retry_after_s: float = 5.0,
    ) -> None:
        """`lease_s`: how long the relay leaves a row to this process — far longer
        than a commit-to-XADD takes, so a row is relayed only if this process failed
        to publish it. `mark_linger_s`: how long marks wait for more to join them;
        well inside the lease. Marks are off the events' path, but each statement
        is a transaction: marking every 20 ms cost one per event hop in sequential
        runs and made them slower (docs/adr/0013), every 0.5 s costs a few a second."""
        self._db = db
        self._xadd = BatchXadd(redis)
        self._mark_sql = mark_published_sql(db.schema)
        self.insert_sql = insert_outbox_leased_sql(db.schema)
        self.lease = timedelta(seconds=lease_s)
        self._mark_linger_s = mark_linger_s
        self._retry_after_s = retry_after_s
        self._resume_at = 0.0
        self._unmarked: list[int] = []
        self._marks_due = asyncio.Event()
        self._stopping = asyncio.Event()
        self.published_total = 0
        # Every connection of the database learns its publisher when it is opened, so
        # `enqueue`, which sees only a connection, finds it.
        event.listen(db.engine.sync_engine, "connect", self._on_connect)

    def _on_connect(self, _dbapi_connection: Any, record: Any) -> None:
        record.info[_PUBLISHER] = self

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._resume_at

    async def publish(self, entries: Sequence[tuple[str, str]], ids: Sequence[int]) -> None:
        """XADD committed rows ((stream, payload) per outbox id), then queue their marks.
        Never raises for Redis: what it could not send, the relay sends later."""
        try:
            await self._xadd(entries)
        except Exception as exc:
            self._resume_at = time.monotonic() + self._retry_after_s
            log.warning(
                "publishing on commit failed; the relay sends these events when their lease"
                " ends, and new ones at once for a while",
                error=f"{type(exc).__name__}: {exc}",
                events=len(ids),
                lease_s=self.lease.total_seconds(),
            )
            return
        self.published_total += len(ids)
        self._unmarked.extend(ids)
        self._marks_due.set()

    async def mark_once(self) -> int:
        """Mark every row published so far; returns how many."""
        self._marks_due.clear()
        ids, self._unmarked = self._unmarked, []
        if not ids:
            return 0
        try:
            async with self._db.autocommit() as conn:
                await fetch(conn, self._mark_sql, ids)
        except BaseException:
            self._unmarked[:0] = ids  # kept for the next attempt
            self._marks_due.set()
            raise
        return len(ids)

    async def run(self) -> None:
        """Mark published rows until `stop()`, then the last ones."""
        while not self._stopping.is_set():
            await self._marks_due.wait()
            # Let the marks of concurrent transactions gather into one statement.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._mark_linger_s)
            try:
                await self.mark_once()
            except Exception:
                log.exception("marking published outbox rows failed; retrying")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=_RETRY_MARKS_S)
        try:
            await self.mark_once()
        except Exception as exc:
            log.warning(
                "stopping with published outbox rows unmarked; the relay sends them again",
                error=f"{type(exc).__name__}: {exc}",
                rows=len(self._unmarked),
            )

    def stop(self) -> None:
        self._stopping.set()
        self._marks_due.set()
