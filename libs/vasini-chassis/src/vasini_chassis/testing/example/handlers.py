"""Subscribers of the example service: decode, call the use case, return."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import Column, DateTime, Integer, MetaData, Text, Uuid, func, insert

from vasini_chassis.db.tables import tenant_table
from vasini_chassis.errors import RejectEvent
from vasini_chassis.logging import get_logger
from vasini_chassis.messaging import HandlerContext, Router
from vasini_contracts.events.runs import RunRequested

metadata = MetaData()
effects = tenant_table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("run_id", Text, nullable=False),
    Column("input", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

log = get_logger(__name__)
router = Router()
SLOW_HANDLER_S = 1.5


@router.on(RunRequested)
async def on_run_requested(ctx: HandlerContext, data: RunRequested) -> None:
    await ctx.conn.execute(
        insert(effects).values(
            tenant_id=ctx.tenant_id, event_id=ctx.event.id, run_id=data.run_id, input=data.input
        )
    )
    log.info("effect recorded", input_kind=data.input.split(":", 1)[0])
    if data.input == "fail":
        raise RuntimeError("example failure: this input always fails")
    if data.input.startswith("fail-unless:") and not await asyncio.to_thread(
        Path(data.input.removeprefix("fail-unless:")).exists
    ):
        raise RuntimeError("example failure: the switch file is missing")
    if data.input == "reject":
        raise RejectEvent("EXAMPLE_REJECTED", "this input is refused for good")
    if data.input.startswith("hang:") and ctx.deliveries == 1:
        await asyncio.to_thread(Path(data.input.removeprefix("hang:")).touch)
        await asyncio.sleep(3_600)
    if data.input.startswith("slow:"):
        await asyncio.to_thread(Path(data.input.removeprefix("slow:")).touch)
        await asyncio.sleep(SLOW_HANDLER_S)
    if data.input == "emit":
        ctx.emit(RunRequested(run_id=f"{data.run_id}-child", pack=data.pack, input="child"))
