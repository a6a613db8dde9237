"""What the runtime-worker consumes: admitted runs (queued for the executor), cancel
requests, and what comes back for tool calls (results, denials, approval progress).
Handlers only record; the executor does the work, outside the consumer's transaction
(a model call must never hold one open). With `direct`, a run the transaction makes
ready is leased to this process's executor, which starts it on commit."""

from __future__ import annotations

from vasini_chassis.messaging import HandlerContext, Router
from vasini_contracts.events.approvals import ApprovalDecided, ApprovalRequested
from vasini_contracts.events.runs import RunAdmitted, RunCancelRequested, RunStateChanged
from vasini_contracts.events.tools import ToolCallCompleted, ToolCallDenied
from vasini_packs import ComposedPack
from vasini_runtime_worker.adapters.store import (
    DirectStart,
    accept_run,
    record_answer,
    request_cancel,
)
from vasini_runtime_worker.domain.deadline import run_deadline
from vasini_runtime_worker.domain.run import RunRecord
from vasini_runtime_worker.domain.tool_calls import ToolAnswer

DEFAULT_DEADLINE_S = 300.0


def build_handlers(
    default_deadline_s: float = DEFAULT_DEADLINE_S, direct: DirectStart | None = None
) -> Router:
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
        if await accept_run(ctx.conn, record, direct):  # running here from the commit on
            ctx.emit(
                RunStateChanged(run_id=data.run_id, previous="queued", state="running", step=0),
                subject=f"run/{data.run_id}",
            )

    @router.on(RunCancelRequested)
    async def on_cancel(ctx: HandlerContext, data: RunCancelRequested) -> None:
        await request_cancel(ctx.conn, data.run_id, data.reason)

    @router.on(ToolCallCompleted)
    async def on_completed(ctx: HandlerContext, data: ToolCallCompleted) -> None:
        result = data.result
        if data.error is not None and not result.strip():
            result = f"[{data.error.code}] {data.error.message}"
        answer = ToolAnswer(data.call_id, "completed", result, is_error=data.status != "ok")
        await record_answer(ctx.conn, ctx.tenant_id, data.run_id, answer, direct)

    @router.on(ToolCallDenied)
    async def on_denied(ctx: HandlerContext, data: ToolCallDenied) -> None:
        reason = f"policy denied the call ({data.rule}): {data.reason}"
        answer = ToolAnswer(data.call_id, "denied", reason, is_error=True)
        await record_answer(ctx.conn, ctx.tenant_id, data.run_id, answer, direct)

    @router.on(ApprovalRequested)
    async def on_approval_requested(ctx: HandlerContext, data: ApprovalRequested) -> None:
        answer = ToolAnswer(data.call_id, "approval_requested", data.approval_id)
        await record_answer(ctx.conn, ctx.tenant_id, data.run_id, answer, direct)

    @router.on(ApprovalDecided)
    async def on_approval_decided(ctx: HandlerContext, data: ApprovalDecided) -> None:
        answer = ToolAnswer(data.call_id, "approval_decided", data.decision)
        await record_answer(ctx.conn, ctx.tenant_id, data.run_id, answer, direct)

    return router
