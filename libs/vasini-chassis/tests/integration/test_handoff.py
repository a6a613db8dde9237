"""Handoff: work a consumer's transaction creates starts in this process's worker once
the transaction commits, without a claim; a transaction that rolls back, or commits
without handing anything over, gives the slot back; no slot (or no worker, a stopped
one, a connection outside Database.transaction), no handoff."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from vasini_chassis.db.engine import Database
from vasini_chassis.testing.waiting import eventually
from vasini_chassis.workers import ClaimingWorker, Handoff

FOREVER_S = 3600.0  # an idle poll no test may depend on


@dataclass(frozen=True)
class Item:
    value: str
    more_ready: bool = False


class Work:
    def __init__(self) -> None:
        self.claims = 0
        self.handled: list[str] = []
        self.release = asyncio.Event()
        self.release.set()

    async def claim(self) -> Item | None:
        self.claims += 1
        return None

    async def handle(self, item: Item) -> None:
        await self.release.wait()
        self.handled.append(item.value)


def worker_with(work: Work, handoff: Handoff[Item], slots: int) -> ClaimingWorker[Item]:
    return ClaimingWorker(
        work.claim, work.handle, max_concurrent=slots, idle_poll_s=FOREVER_S, handoff=handoff
    )


async def test_an_item_handed_over_starts_on_commit_without_a_claim(db: Database) -> None:
    work, handoff = Work(), Handoff[Item]()
    worker = worker_with(work, handoff, slots=2)
    running = asyncio.create_task(worker.run())
    await eventually(lambda: work.claims == 1, what="the first, empty claim")

    async with db.transaction("tenant-h") as conn:
        slot = handoff.reserve(conn)
        assert slot is not None
        slot.hand_over(Item("a"))
        for _ in range(20):  # scheduling rounds in which the item must not start
            await asyncio.sleep(0)
        assert work.handled == []

    await eventually(lambda: work.handled == ["a"], what="the handed-over item")
    worker.stop()
    await asyncio.wait_for(running, timeout=5)
    assert work.claims == 1


async def test_a_rolled_back_transaction_gives_its_slot_back(db: Database) -> None:
    work, handoff = Work(), Handoff[Item]()
    worker_with(work, handoff, slots=1)

    async def failing() -> None:
        async with db.transaction("tenant-h") as conn:
            slot = handoff.reserve(conn)
            assert slot is not None
            slot.hand_over(Item("lost"))
            raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError, match="handler failed"):
        await failing()

    async with db.transaction("tenant-h") as conn:
        slot = handoff.reserve(conn)  # the only slot is free again
        assert slot is not None
        slot.hand_over(Item("b"))
    await eventually(lambda: work.handled == ["b"], what="the item of the second transaction")
    assert "lost" not in work.handled


async def test_a_slot_committed_unused_is_given_back(db: Database) -> None:
    work, handoff = Work(), Handoff[Item]()
    worker_with(work, handoff, slots=1)

    async with db.transaction("tenant-h") as conn:
        assert handoff.reserve(conn) is not None
    async with db.transaction("tenant-h") as conn:
        assert handoff.reserve(conn) is not None


async def test_no_free_slot_means_no_handoff(db: Database) -> None:
    work, handoff = Work(), Handoff[Item]()
    work.release.clear()
    worker_with(work, handoff, slots=1)

    async with db.transaction("tenant-h") as conn:
        slot = handoff.reserve(conn)
        assert slot is not None
        slot.hand_over(Item("busy"))
    async with db.transaction("tenant-h") as conn:
        assert handoff.reserve(conn) is None  # "busy" holds the only slot

    work.release.set()
    await eventually(lambda: work.handled == ["busy"], what="the first item to finish")
    async with db.transaction("tenant-h") as conn:
        assert handoff.reserve(conn) is not None


async def test_no_handoff_without_a_worker_or_a_managed_transaction(db: Database) -> None:
    work, attached, unattached = Work(), Handoff[Item](), Handoff[Item]()
    worker = worker_with(work, attached, slots=1)

    async with db.autocommit() as conn:  # nothing would tell the worker of a commit
        assert attached.reserve(conn) is None
    async with db.transaction("tenant-h") as conn:
        assert unattached.reserve(conn) is None
        assert attached.reserve(conn) is not None  # the autocommit one gave its slot back
    worker.stop()
    async with db.transaction("tenant-h") as conn:
        assert attached.reserve(conn) is None
