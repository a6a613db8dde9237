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
from vasini_chassis.workers import ClaimingWorker, Handoff
from vasini_runtime_worker.domain.errors import LeaseLost
from vasini_runtime_worker.domain.run import ClaimedRun
from vasini_runtime_worker.service import RunLoop

log = get_logger(__name__)


class Queue(Protocol):
    async def claim(self) -> ClaimedRun | None: ...

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
        handoff: Handoff[ClaimedRun] | None = None,
    ) -> None:
        """`handoff`: runs the consumer leases to this executor (adapters/store.py)."""
        self._queue = queue
        self._loop = loop
        self._renew_every = lease_s / 3
        self._worker = ClaimingWorker(
            queue.claim,
            self._advance,
            max_concurrent=max_concurrent,
            idle_poll_s=idle_poll_s,
            handoff=handoff,
        )

    def stop(self) -> None:
        self._worker.stop()

    def wake(self) -> None:
        """A run may be claimable now (see the run_queue NOTIFY trigger)."""
        self._worker.wake()

    async def run(self) -> None:
        await self._worker.run()

    async def _advance(self, claimed: ClaimedRun) -> None:
        run_id = claimed.run_id
        step = asyncio.create_task(self._loop.advance(claimed))
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

    async def _keep_lease(self, run_id: str, step: asyncio.Task[None]) -> None:
        while True:
            await asyncio.sleep(self._renew_every)
            if not await self._queue.renew(run_id):
                step.cancel()
                return
