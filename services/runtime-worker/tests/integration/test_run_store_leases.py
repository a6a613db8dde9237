"""Saving a step needs the lease: a worker whose lease another worker took over
changes nothing, neither the run nor the queue nor the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.tables import outbox
from vasini_contracts.events.runs import RunStateChanged
from vasini_runtime_worker.adapters.store import PgRunStore, accept_run
from vasini_runtime_worker.adapters.tables import run_queue, runs
from vasini_runtime_worker.domain.errors import LeaseLost
from vasini_runtime_worker.domain.run import RunRecord

TENANT = "tenant-lease"


def store(db: Database, owner: str) -> PgRunStore:
    return PgRunStore(db, owner=owner, lease_s=60, stream_prefix="lease.")


def record(run_id: str) -> RunRecord:
    now = datetime.now(UTC)
    return RunRecord(
        tenant_id=TENANT,
        run_id=run_id,
        pack={"pack_id": "p", "version": "1.0.0", "digest": "sha256:" + "0" * 64},
        config={"big": "x" * 1000},
        tier="tier-2",
        input="hi",
        session_id=None,
        requested_at=now,
        deadline_at=now + timedelta(minutes=5),
        traceparent=None,
    )


async def test_a_worker_that_lost_its_lease_cannot_save(db: Database) -> None:
    async with db.transaction(TENANT) as conn:
        await accept_run(conn, record("run-l"))
    first, second = store(db, "worker-a"), store(db, "worker-b")
    claimed = await first.claim()
    assert claimed is not None
    assert claimed.record is not None
    async with db.transaction() as conn:  # worker-a stalls past its lease
        await conn.execute(update(run_queue).values(lease_until=func.now() - timedelta(seconds=1)))
    taken = await second.claim()
    assert taken is not None
    assert taken.record is not None

    stale = claimed.record
    stale.state, stale.step = "running", 1
    running = RunStateChanged(run_id="run-l", previous="queued", state="running", step=1)
    with pytest.raises(LeaseLost):
        await first.save(stale, [running], wake_at=None)
    fresh = taken.record
    fresh.state, fresh.step = "running", 2
    await second.save(fresh, [running], wake_at=datetime.now(UTC) + timedelta(minutes=1))

    async with db.transaction(TENANT) as conn:
        row = (await conn.execute(select(runs.c.state, runs.c.step, runs.c.config))).one()
        queued = (await conn.execute(select(run_queue.c.lease_owner))).one()
        published = await conn.scalar(select(func.count()).select_from(outbox))
    assert (row.state, row.step, row.config) == ("running", 2, {"big": "x" * 1000})
    assert queued.lease_owner is None  # parked by worker-b until its wake-up time
    assert published == 1  # worker-b's event only


async def test_a_claim_says_whether_another_run_is_ready(db: Database) -> None:
    async with db.transaction(TENANT) as conn:
        await accept_run(conn, record("run-r1"))
        await accept_run(conn, record("run-r2"))
    worker = store(db, "worker-a")

    first, second, none = await worker.claim(), await worker.claim(), await worker.claim()

    assert first is not None
    assert second is not None
    assert {first.run_id, second.run_id} == {"run-r1", "run-r2"}
    assert (first.more_ready, second.more_ready) == (True, False)
    assert none is None
