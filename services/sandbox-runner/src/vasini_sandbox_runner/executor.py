"""The call executor: probes the host's isolation once at start-up (logged, and shown
at `/isolation`), then claims queued calls and runs them, up to `max_concurrent` at a
time, outside any database transaction (a call may take minutes)."""

from __future__ import annotations

import asyncio

from vasini_chassis.logging import get_logger
from vasini_chassis.workers import ClaimingWorker, Handoff
from vasini_sandbox_runner.adapters.store import Claim, PgExecutions
from vasini_sandbox_runner.isolation import IsolationProbe
from vasini_sandbox_runner.service import SandboxService

log = get_logger(__name__)


class CallExecutor:
    def __init__(
        self,
        store: PgExecutions,
        service: SandboxService,
        probe: IsolationProbe,
        *,
        max_concurrent: int,
        lease_s: float,
        idle_poll_s: float,
        handoff: Handoff[Claim] | None = None,
    ) -> None:
        """`handoff`: calls the consumer leases to this executor (adapters/store.py)."""
        self._store = store
        self._service = service
        self._probe = probe
        self._lease_s = lease_s
        self._probed = asyncio.Event()
        self._worker = ClaimingWorker(
            self._claim,
            self._execute,
            max_concurrent=max_concurrent,
            idle_poll_s=idle_poll_s,
            handoff=handoff,
        )

    def stop(self) -> None:
        self._worker.stop()

    def wake(self) -> None:
        """A call may be queued now (see the execution_queue NOTIFY trigger)."""
        self._worker.wake()

    async def run(self) -> None:
        await self._probe.probe()
        self._probed.set()
        await self._worker.run()

    async def _claim(self) -> Claim | None:
        return await self._store.claim(self._lease_s)

    async def _execute(self, claim: Claim) -> None:
        await self._probed.wait()  # a call handed over at start-up waits for the probe
        request = claim.request
        if request is None:  # finished by a runner whose lease had run out meanwhile
            await self._store.drop(claim.run_id, claim.call_id)
            return
        executed = await self._service.execute(claim.tenant_id, request, self._probe.isolation)
        screening = executed.screening
        await self._store.finish(
            claim.tenant_id,
            executed.completed,
            executed.summary,
            screening.audit() if screening else None,
            claim.traceparent,
        )
        if screening is not None:
            log.warning(
                "a tool result tried to instruct the assistant; neutralised",
                run_id=claim.run_id,
                call_id=claim.call_id,
                verdict=screening.verdict,
                reasons=list(screening.reasons),
            )
        log.info(
            "tool call executed",
            run_id=claim.run_id,
            call_id=claim.call_id,
            tool_id=request.tool_id,
            status=executed.completed.status,
            duration_ms=executed.completed.duration_ms,
        )
