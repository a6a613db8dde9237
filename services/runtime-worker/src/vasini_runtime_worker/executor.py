"""The run executor: claims queued runs (leases) and advances them, up to
`max_concurrent` at a time, renewing each lease while its step runs.

A worker that dies stops renewing; its leases expire and any replica claims the run
and continues from the last saved step.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Protocol

from vasini_chassis.logging import get_logger
from vasini_runtime_worker.domain.errors import LeaseLost
from vasini_runtime_worker.service import RunLoop

log = get_logger(__name__)


class Queue(Protocol):
    async def claim(self) -> tuple[str, str] | None: ...

    async def renew(self, run_id: str) -> bool: ...


class RunExecutor:
    def __init__(
        self,
        queue: Queue,
        loop: RunLoop,
        *,
        max_concurrent: int,
        lease_s: float,
        idle_poll_s: float,
    ) -> None:
        self._queue = queue
        self._loop = loop
        self._slots = asyncio.Semaphore(max_concurrent)
        self._renew_every = lease_s / 3
        self._idle_poll_s = idle_poll_s
        self._stopping = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            await self._slots.acquire()
            try:
                claim = await self._queue.claim()
            except Exception:
                self._slots.release()
                log.exception("claiming a run failed; retrying")
                await self._pause()
                continue
            if claim is None:
                self._slots.release()
                await self._pause()
                continue
            task = asyncio.create_task(self._advance(*claim))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def _pause(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=self._idle_poll_s)

    async def _advance(self, tenant_id: str, run_id: str) -> None:
        step = asyncio.create_task(self._loop.advance(tenant_id, run_id))
        keeper = asyncio.create_task(self._keep_lease(run_id, step))
        try:
            await step
        except (LeaseLost, asyncio.CancelledError):
            log.warning("lost the lease of a run; another replica continues it", run_id=run_id)
        except Exception:
            # The lease runs out and the run is retried by whoever claims it next.
            log.exception("advancing a run failed", run_id=run_id)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            self._slots.release()

    async def _keep_lease(self, run_id: str, step: asyncio.Task[None]) -> None:
        while True:
            await asyncio.sleep(self._renew_every)
            if not await self._queue.renew(run_id):
                step.cancel()
                return
