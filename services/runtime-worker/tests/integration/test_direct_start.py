"""Runs the consumer's transaction leases straight to this process's executor: an
admitted run (stored running at once), and a parked run an answer wakes, start without
a claim, with what the transaction read; without a free slot, or while another worker
holds the run, they stay for claiming as before."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from vasini_chassis.db.engine import Database
from vasini_chassis.testing.waiting import eventually
from vasini_chassis.workers import ClaimingWorker, Handoff
from vasini_runtime_worker.adapters.store import (
    DirectStart,
    PgRunStore,
    accept_run,
    record_answer,
)
from vasini_runtime_worker.adapters.tables import run_queue, runs
from vasini_runtime_worker.domain.run import ClaimedRun, RunRecord
from vasini_runtime_worker.domain.tool_calls import ToolAnswer

TENANT = "tenant-direct"
FOREVER_S = 3600.0
OWNER = "worker-direct"


class Executor:
    """A ClaimingWorker that records what it was handed (and never claims anything)."""

    def __init__(self, slots: int = 4) -> None:
        self.started: list[ClaimedRun] = []
        self.direct = DirectStart(Handoff(), OWNER, timedelta(seconds=60))
        self.worker = ClaimingWorker(
            self.claim,
            self.advance,
            max_concurrent=slots,
            idle_poll_s=FOREVER_S,
            handoff=self.direct.runs,
        )
        self.hold = asyncio.Event()
        self.hold.set()

    async def claim(self) -> ClaimedRun | None:
        raise AssertionError("a handed-over run needs no claim")

    async def advance(self, claimed: ClaimedRun) -> None:
        self.started.append(claimed)
        await self.hold.wait()


def record(run_id: str) -> RunRecord:
    now = datetime.now(UTC)
    return RunRecord(
        tenant_id=TENANT,
        run_id=run_id,
        pack={"pack_id": "p", "version": "1.0.0", "digest": "sha256:" + "0" * 64},
        config={"k": "v"},
        tier="tier-2",
        input="hi",
        session_id=None,
        requested_at=now,
        deadline_at=now + timedelta(minutes=5),
        traceparent=None,
    )


async def lease_of(db: Database, run_id: str) -> tuple[str | None, bool]:
    async with db.transaction() as conn:
        row = (
            await conn.execute(
                select(run_queue.c.lease_owner, run_queue.c.poked).where(
                    run_queue.c.run_id == run_id
                )
            )
        ).one()
    return row.lease_owner, row.poked


async def test_an_admitted_run_starts_in_this_process_leased_to_it(db: Database) -> None:
    executor = Executor()
    async with db.transaction(TENANT) as conn:
        assert await accept_run(conn, record("run-d1"), executor.direct)
        assert not await accept_run(conn, record("run-d1"), executor.direct)  # seen before

    await eventually(lambda: len(executor.started) == 1, what="the run handed over")
    started = executor.started[0]
    assert (started.tenant_id, started.run_id, started.answers) == (TENANT, "run-d1", [])
    assert started.record is not None
    assert started.record.state == "running"
    assert await lease_of(db, "run-d1") == (OWNER, False)
    async with db.transaction(TENANT) as conn:
        assert await conn.scalar(select(runs.c.state).where(runs.c.run_id == "run-d1")) == (
            "running"
        )
    other = PgRunStore(db, owner="worker-other", lease_s=60, stream_prefix="direct.")
    assert await other.claim() is None  # leased: nobody else takes it


async def test_without_a_free_slot_an_admitted_run_waits_for_a_claim(db: Database) -> None:
    executor = Executor(slots=1)
    executor.hold.clear()
    async with db.transaction(TENANT) as conn:
        assert await accept_run(conn, record("run-d2"), executor.direct)
        assert not await accept_run(conn, record("run-d3"), executor.direct)

    await eventually(lambda: len(executor.started) == 1, what="the first run handed over")
    assert executor.started[0].run_id == "run-d2"
    assert await lease_of(db, "run-d3") == (None, False)
    other = PgRunStore(db, owner="worker-other", lease_s=60, stream_prefix="direct.")
    claimed = await other.claim()
    assert claimed is not None
    assert claimed.run_id == "run-d3"
    assert claimed.record is not None
    assert claimed.record.state == "queued"  # the claiming worker moves it
    executor.hold.set()


async def parked_waiting_run(db: Database, run_id: str) -> PgRunStore:
    """A run that asked for a tool and was parked until its deadline by worker-a."""
    async with db.transaction(TENANT) as conn:
        await accept_run(conn, record(run_id))
    first = PgRunStore(db, owner="worker-a", lease_s=60, stream_prefix="direct.")
    claimed = await first.claim()
    assert claimed is not None
    assert claimed.record is not None
    waiting = claimed.record
    waiting.state, waiting.step = "waiting_tool", 1
    await first.save(waiting, [], wake_at=waiting.deadline_at)
    return first


async def test_an_answer_starts_a_parked_run_here_with_its_answers(db: Database) -> None:
    await parked_waiting_run(db, "run-d4")
    executor = Executor()
    answer = ToolAnswer("s1-c1", "completed", "pong")
    async with db.transaction(TENANT) as conn:
        await record_answer(conn, TENANT, "run-d4", answer, executor.direct)

    await eventually(lambda: len(executor.started) == 1, what="the woken run handed over")
    started = executor.started[0]
    assert started.record is not None
    assert (started.record.state, started.record.step) == ("waiting_tool", 1)
    assert started.answers == [answer]
    assert await lease_of(db, "run-d4") == (OWNER, False)


async def test_an_answer_for_a_run_another_worker_holds_only_pokes_it(db: Database) -> None:
    await parked_waiting_run(db, "run-d5")
    holder = PgRunStore(db, owner="worker-b", lease_s=60, stream_prefix="direct.")
    async with db.transaction(TENANT) as conn:  # ready again: worker-b takes it
        await record_answer(conn, TENANT, "run-d5", ToolAnswer("s1-c1", "approval_requested", "a"))
    assert await holder.claim() is not None
    executor = Executor()

    async with db.transaction(TENANT) as conn:
        await record_answer(
            conn, TENANT, "run-d5", ToolAnswer("s1-c1", "completed", "pong"), executor.direct
        )

    for _ in range(20):  # scheduling rounds in which nothing may start
        await asyncio.sleep(0)
    assert executor.started == []
    assert await lease_of(db, "run-d5") == ("worker-b", True)  # its save keeps it ready
