"""What the runtime-worker consumes: admitted runs (queued for the executor) and
cancel requests. Handlers only record; the executor does the work, outside the
consumer's transaction (a model call must never hold one open)."""

from __future__ import annotations

from vasini_chassis.messaging import HandlerContext, Router
from vasini_contracts.events.runs import RunAdmitted, RunCancelRequested
from vasini_packs import ComposedPack
from vasini_runtime_worker.adapters.store import accept_run, request_cancel
from vasini_runtime_worker.domain.deadline import run_deadline
from vasini_runtime_worker.domain.run import RunRecord

DEFAULT_DEADLINE_S = 300.0


def build_handlers(default_deadline_s: float = DEFAULT_DEADLINE_S) -> Router:
    router = Router()

    @router.on(RunAdmitted)
    async def on_admitted(ctx: HandlerContext, data: RunAdmitted) -> None:
        pack = ComposedPack.from_config(data.config)
        started = ctx.event.time
        record = RunRecord(
            tenant_id=ctx.tenant_id,
            run_id=data.run_id,
            pack=data.pack.model_dump(mode="json"),
            config=data.config,
            tier=data.model_tier,
            input=data.input,
            session_id=data.session_id,
            requested_at=started,
            deadline_at=run_deadline(started, pack, data.deadline_s, default_deadline_s),
            traceparent=ctx.event.traceparent,
        )
        await accept_run(ctx.conn, record)

    @router.on(RunCancelRequested)
    async def on_cancel(ctx: HandlerContext, data: RunCancelRequested) -> None:
        await request_cancel(ctx.conn, data.run_id, data.reason)

    return router
