"""A service worker that claims work items and handles them, up to `max_concurrent`
at a time. With nothing to claim it sleeps until `wake()` (called on the NOTIFY that
announces new work, see db/notifications.py) or `idle_poll_s`, the fallback.

Claiming (a lease in PostgreSQL, usually) and handling are the caller's; this owns
the slots, the idle wait and a clean stop: `stop()` ends claiming, in-flight items
finish. An item whose handling raises is logged; its lease runs out and it is
claimed again. A claim tells whether other work was ready (`more_ready`): if so the
worker claims again at once, else it waits to be woken, instead of spending a claim
on an empty queue after every item.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Generic, Protocol, TypeVar

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
    ) -> None:
        self._claim = claim
        self._handle = handle
        self._slots = asyncio.Semaphore(max_concurrent)
        self._idle_poll_s = idle_poll_s
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    def wake(self) -> None:
        """There may be work to claim: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            await self._slots.acquire()
            if self._stopping.is_set():  # stopped while every slot was busy
                self._slots.release()
                break
            # Cleared before claiming: work announced while the claim runs is not lost.
            self._wake.clear()
            try:
                item = await self._claim()
            except Exception:
                self._slots.release()
                log.exception("claiming work failed; retrying")
                await self._pause()
                continue
            if item is None:
                self._slots.release()
                await self._pause()
                continue
            task = asyncio.create_task(self._run_one(item))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
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
            self._slots.release()
