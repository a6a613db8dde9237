"""What ingress consumes: the pipeline's run events, projected onto the run a client
reads (`GET /v1/runs/{id}`) and appended to its event log (the SSE stream), and
approval requests, which clients list and decide (`/v1/approvals`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vasini_chassis.messaging import HandlerContext, Router
from vasini_contracts.events.approvals import ApprovalRequested
from vasini_contracts.events.runs import (
    RunCancelled,
    RunCompleted,
    RunComposed,
    RunFailed,
    RunOutputDelta,
    RunStateChanged,
)
from vasini_ingress.adapters.repository import project, record_approval
from vasini_ingress.domain.runs import TERMINAL_STATES

router = Router()


@router.on(RunComposed)
async def on_composed(ctx: HandlerContext, data: RunComposed) -> None:
    await project(
        ctx.conn,
        data.run_id,
        "composed",
        data={"pack": data.pack.model_dump(mode="json")},
        changes={"pack_version": data.pack.version},
    )


@router.on(RunStateChanged)
async def on_state_changed(ctx: HandlerContext, data: RunStateChanged) -> None:
    if data.state in TERMINAL_STATES:
        # The run's end comes with its outcome (run.completed after output screening,
        # run.failed, run.cancelled); the runtime's own "done" precedes screening.
        return
    await project(
        ctx.conn,
        data.run_id,
        "state",
        data={"state": data.state, "step": data.step},
        changes={"state": data.state, "steps": data.step},
    )


@router.on_batch(RunOutputDelta)
async def on_deltas(batch: Sequence[tuple[HandlerContext, RunOutputDelta]]) -> None:
    # Deltas are the hot path of a streamed answer: one batch handler call per read.
    for ctx, data in batch:
        await project(
            ctx.conn,
            data.run_id,
            "delta",
            data={"seq": data.seq, "step": data.step, "text": data.text},
        )


@router.on(RunCompleted)
async def on_completed(ctx: HandlerContext, data: RunCompleted) -> None:
    usage = data.usage.model_dump(mode="json")
    await project(
        ctx.conn,
        data.run_id,
        "completed",
        data={"state": "done", "output": data.output, "usage": usage, "steps": data.steps},
        changes={"state": "done", "output": data.output, "usage": usage, "steps": data.steps},
    )


@router.on(RunFailed)
async def on_failed(ctx: HandlerContext, data: RunFailed) -> None:
    error = {"code": data.error.code, "message": data.error.message, "stage": data.stage}
    changes: dict[str, Any] = {"state": "failed", "error": error, "steps": data.steps}
    if data.usage is not None:
        changes["usage"] = data.usage.model_dump(mode="json")
    await project(
        ctx.conn,
        data.run_id,
        "failed",
        data={"state": "failed", "error": error},
        changes=changes,
    )


@router.on(RunCancelled)
async def on_cancelled(ctx: HandlerContext, data: RunCancelled) -> None:
    await project(
        ctx.conn,
        data.run_id,
        "cancelled",
        data={"state": "cancelled", "reason": data.reason},
        changes={"state": "cancelled", "steps": data.steps},
    )


@router.on(ApprovalRequested)
async def on_approval_requested(ctx: HandlerContext, data: ApprovalRequested) -> None:
    await record_approval(ctx.conn, ctx.tenant_id, data.model_dump())
