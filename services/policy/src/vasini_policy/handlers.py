"""What policy consumes: `run.composed` (admission), `tool.call.requested` (tool
authorization), `approval.decided` (settling approvals) and `run.output.produced`
(output screening). Each handler decodes, calls one use case and maps its errors: permanent
policy errors dead-letter the event at once (`RejectEvent`); anything else is left to
the chassis to redeliver (and dead-letter after `max_deliveries`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from vasini_chassis.errors import RejectEvent
from vasini_chassis.logging import get_logger
from vasini_chassis.messaging import HandlerContext, Router
from vasini_contracts.events.approvals import ApprovalDecided
from vasini_contracts.events.runs import RunComposed, RunOutputProduced
from vasini_contracts.events.tools import ToolCallRequested
from vasini_policy.adapters.store import SqlPolicyStore
from vasini_policy.domain.errors import PermanentPolicyError
from vasini_policy.service import Outcome, PolicyService

log = get_logger(__name__)
DEFAULT_APPROVAL_TIMEOUT_S = 900.0


def build_router(approval_timeout_s: float = DEFAULT_APPROVAL_TIMEOUT_S) -> Router:
    router = Router()

    def service(ctx: HandlerContext) -> PolicyService:
        return PolicyService(
            SqlPolicyStore(ctx.conn, ctx.tenant_id),
            ctx.emit,
            now=lambda: datetime.now(UTC),
            approval_timeout_s=approval_timeout_s,
        )

    @router.on(RunComposed)
    async def on_composed(ctx: HandlerContext, data: RunComposed) -> None:
        use_case = service(ctx)
        await _decide(
            data.run_id,
            "admission",
            lambda: use_case.admit_run(data, event_id=ctx.event.id, at=ctx.event.time),
        )

    @router.on(ToolCallRequested)
    async def on_tool_call(ctx: HandlerContext, data: ToolCallRequested) -> None:
        use_case = service(ctx)
        await _decide(
            data.run_id, "tool", lambda: use_case.authorize_call(data, event_id=ctx.event.id)
        )

    @router.on(ApprovalDecided)
    async def on_approval(ctx: HandlerContext, data: ApprovalDecided) -> None:
        use_case = service(ctx)
        await _decide(
            data.run_id, "approval", lambda: use_case.settle_approval(data, event_id=ctx.event.id)
        )

    @router.on(RunOutputProduced)
    async def on_output(ctx: HandlerContext, data: RunOutputProduced) -> None:
        use_case = service(ctx)
        await _decide(
            data.run_id, "output", lambda: use_case.screen_output(data, event_id=ctx.event.id)
        )

    return router


async def _decide(run_id: str, stage: str, use_case: Callable[[], Awaitable[Outcome]]) -> None:
    try:
        outcome = await use_case()
    except PermanentPolicyError as error:
        raise RejectEvent(error.code, str(error)) from error
    log.info("policy decision", run_id=run_id, stage=stage, outcome=outcome)
