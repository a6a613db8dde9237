"""A service worker that decides approvals nobody decided in time as `expired` (which
policy treats as a rejection), checking every `every_s` seconds."""

from __future__ import annotations

import asyncio
import contextlib

from vasini_chassis.logging import get_logger
from vasini_ingress.service import IngressService

log = get_logger(__name__)


class ApprovalExpiry:
    def __init__(self, service: IngressService, *, every_s: float) -> None:
        self._service = service
        self._every_s = every_s
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                expired = await self._service.expire_due()
            except Exception:
                # The database may be away for a moment; the next round tries again.
                log.exception("expiring approvals failed; retrying")
            else:
                if expired:
                    log.info("approvals expired", count=expired)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._every_s)

    def stop(self) -> None:
        self._stopping.set()
