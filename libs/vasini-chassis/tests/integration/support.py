"""Helpers of the chassis integration tests: build, publish and count example events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.testing.example.handlers import effects
from vasini_contracts import CloudEvent, new_event, new_traceparent
from vasini_contracts.events.runs import RunRequested


def run_requested(tenant: str = "tenant-a", input_text: str = "hello", **kw: Any) -> CloudEvent:
    run_id = kw.pop("run_id", "run-1")
    return new_event(
        RunRequested(run_id=run_id, pack="bench-echo", input=input_text),
        source="/vasini/ingress",
        tenant_id=tenant,
        subject=f"run/{run_id}",
        correlation_id=run_id,
        traceparent=new_traceparent(),
        **kw,
    )


async def publish(db: Database, *events: CloudEvent, prefix: str) -> None:
    async with db.transaction() as conn:
        await enqueue(conn, list(events), stream_prefix=prefix)


async def count_effects(db: Database, **where: Any) -> int:
    query = select(func.count()).select_from(effects)
    for column, value in where.items():
        query = query.where(effects.c[column] == value)
    async with db.transaction() as conn:
        return int((await conn.execute(query)).scalar_one())
