"""What the sandbox-runner consumes: authorized tool calls. The handler only queues
the call (in the consumer's transaction); the executor runs it outside any
transaction, since a call may take minutes. With `direct`, the call is leased to this
process's executor, which starts it on commit."""

from __future__ import annotations

from vasini_chassis.messaging import HandlerContext, Router
from vasini_contracts.events.tools import ToolCallAuthorized
from vasini_sandbox_runner.adapters.store import DirectStart, queue_execution


def build_handlers(direct: DirectStart | None = None) -> Router:
    router = Router()

    @router.on(ToolCallAuthorized)
    async def on_authorized(ctx: HandlerContext, data: ToolCallAuthorized) -> None:
        await queue_execution(ctx.conn, ctx.tenant_id, data, ctx.event.traceparent, direct)

    return router
