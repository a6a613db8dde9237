"""What the composer consumes: `run.requested`. The handler builds the use case on the
event's transaction, calls it and maps its errors: permanent composer errors that are
not a run outcome (a run id of another tenant) dead-letter the event at once
(`RejectEvent`); transient ones (the packs folder unreadable) are raised as they are,
for the chassis to redeliver and dead-letter after `max_deliveries`."""

from __future__ import annotations

from vasini_chassis.errors import RejectEvent
from vasini_chassis.logging import get_logger
from vasini_chassis.messaging import HandlerContext, Router
from vasini_composer.adapters.store import SqlCompositionStore
from vasini_composer.domain.errors import PermanentComposerError
from vasini_composer.service import ComposerService, PackSource
from vasini_contracts.events.common import Tier
from vasini_contracts.events.runs import RunRequested

log = get_logger(__name__)


def build_router(source: PackSource, *, default_tier: Tier) -> Router:
    router = Router()

    @router.on(RunRequested)
    async def on_requested(ctx: HandlerContext, data: RunRequested) -> None:
        service = ComposerService(
            source,
            SqlCompositionStore(ctx.conn, ctx.tenant_id),
            ctx.emit,
            default_tier=default_tier,
        )
        try:
            result = await service.compose(data, event_id=ctx.event.id)
        except PermanentComposerError as error:
            raise RejectEvent(error.code, error.message) from error
        log.info("run handled", run_id=data.run_id, requested=data.pack, result=result)

    return router
