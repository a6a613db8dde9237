"""Helpers of the chassis integration tests: build, publish and count example events."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from sqlalchemy import func, select

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.settings import ServiceSettings
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


async def spawn_example(
    settings: ServiceSettings, consumer_name: str
) -> asyncio.subprocess.Process:
    """The example service as its own process, configured through env like in production."""
    env = {
        **os.environ,
        "VASINI_DATABASE_URL": settings.database_url,
        "VASINI_DATABASE_ADMIN_URL": settings.migrate_url,
        "VASINI_REDIS_URL": settings.redis_url,
        "VASINI_STREAM_PREFIX": settings.stream_prefix,
        "VASINI_EXAMPLE_DB_SCHEMA": settings.schema_name,
        "VASINI_EXAMPLE_CONSUMER_NAME": consumer_name,
        "VASINI_CLAIM_IDLE_MS": str(settings.claim_idle_ms),
        "VASINI_EXAMPLE_READ_BLOCK_MS": "100",
        "VASINI_LOG_JSON": "true",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vasini_chassis.testing.example",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop_process(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.kill()
        await process.wait()
