"""A service worker that claims work items and handles them, up to `max_concurrent`
at a time. With nothing to claim it sleeps until `wake()` (called on the NOTIFY that
announces new work, see db/notifications.py) or `idle_poll_s`, the fallback.

Claiming (a lease in PostgreSQL, usually) and handling are the caller's; this owns
the slots, the idle wait and a clean stop: `stop()` ends claiming, in-flight items
finish. An item whose handling raises is logged; its lease runs out and it is
claimed again. A claim tells whether other work was ready (`more_ready`): if so the
worker claims again at once, else it waits to be woken, instead of spending a claim
on an empty queue after every item.

Work created by a consumer's transaction in the same process need not be claimed at
all (`Handoff`): the transaction reserves a slot, writes the item already leased to
this process, and the item starts in that slot once the transaction commits. That
saves the claim's transaction and the NOTIFY round trip that would wake the worker
(ADR 0015). With no slot free the item is written unleased and claimed as usual, by
whichever replica has room.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import after_commit, on_rollback
from vasini_chassis.logging import get_logger

log = get_logger(__name__)


class Claimed(Protocol):
    @property
    def more_ready(self) -> bool:
        """Whether other work was ready when this item was claimed."""
        ...


T = TypeVar("T", bound=Claimed)


class ClaimingWorker(Generic[T]):
    def __init__(
        self,
        claim: Callable[[], Awaitable[T | None]],
        handle: Callable[[T], Awaitable[None]],
        *,
        max_concurrent: int,
        idle_poll_s: float,
        handoff: Handoff[T] | None = None,
    ) -> None:
        self._claim = claim
        self._handle = handle
        # Free slots, counted by hand: a reservation must take one without waiting.
        self._free = max_concurrent
        self._slot_freed = asyncio.Event()
        self._idle_poll_s = idle_poll_s
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        if handoff is not None:
            handoff.attach(self)

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    def wake(self) -> None:
        """There may be work to claim: look now rather than at the next poll."""
        self._wake.set()

    def reserve(self) -> bool:
        """Take a slot without waiting, for an item to `start` soon; False when every
        slot is busy or the worker is stopping."""
        if self._free == 0 or self._stopping.is_set():
            return False
        self._free -= 1
        return True

    def start(self, item: T) -> None:
        """Handle `item` in the slot `reserve` took for it (no claim)."""
        task = asyncio.create_task(self._run_one(item))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    def release(self) -> None:
        """Give back a slot `reserve` took and nothing will use."""
        self._free += 1
        self._slot_freed.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            while self._free == 0:  # the only waiter: an Event is enough
                self._slot_freed.clear()
                await self._slot_freed.wait()
            if self._stopping.is_set():  # stopped while every slot was busy
                break
            self._free -= 1
            # Cleared before claiming: work announced while the claim runs is not lost.
            self._wake.clear()
            try:
                item = await self._claim()
            except Exception:
                self.release()
                log.exception("claiming work failed; retrying")
                await self._pause()
                continue
            if item is None:
                self.release()
                await self._pause()
                continue
            self.start(item)
            if not item.more_ready:
                await self._pause()
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def _pause(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self._idle_poll_s)

    async def _run_one(self, item: T) -> None:
        try:
            await self._handle(item)
        except Exception:
            log.exception("handling a claimed item failed; it is retried when its lease ends")
        finally:
            self.release()


class Reservation(Generic[T]):
    """A worker slot held for the open transaction of a consumer (see `Handoff`)."""

    def __init__(self, worker: ClaimingWorker[T]) -> None:
        self._worker = worker
        self._item: T | None = None

    def hand_over(self, item: T) -> None:
        """Start `item` in this slot once the transaction commits; the caller has
        written it leased to this process in that transaction."""
        self._item = item

    async def _committed(self) -> None:
        if self._item is None:
            self._worker.release()
        else:
            self._worker.start(self._item)


class Handoff(Generic[T]):
    """Lets a consumer's transaction give the work it creates straight to this
    process's `ClaimingWorker` (the one constructed with it)."""

    def __init__(self) -> None:
        self._worker: ClaimingWorker[T] | None = None

    def attach(self, worker: ClaimingWorker[T]) -> None:
        self._worker = worker

    def reserve(self, conn: AsyncConnection) -> Reservation[T] | None:
        """A slot for an item the transaction of `conn` is about to write leased to this
        process, or None: write it for claiming then (no worker, every slot busy, the
        worker stopping). The slot is given back if the transaction does not commit,
        or commits without `hand_over`."""
        worker = self._worker
        if worker is None or not worker.reserve():
            return None
        reservation = Reservation(worker)
        if not after_commit(conn, reservation._committed):
            worker.release()  # not a transaction of Database.transaction: claim it
            return None
        on_rollback(conn, worker.release)
        return reservation
