"""The claiming worker: bounded concurrency, a wake-up that ends the idle wait (and is
not lost while a claim runs), no claim on a queue known to be empty, and a stop that
lets claimed items finish."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from vasini_chassis.testing.waiting import eventually
from vasini_chassis.workers import ClaimingWorker

FOREVER_S = 3600.0  # an idle poll no test may depend on


@dataclass(frozen=True)
class Item:
    value: int
    more_ready: bool


class Queue:
    def __init__(self) -> None:
        self.items: list[int] = []
        self.claims = 0
        self.handled: list[int] = []
        self.running = 0
        self.most_at_once = 0
        self.release = asyncio.Event()
        self.release.set()

    async def claim(self) -> Item | None:
        self.claims += 1
        if not self.items:
            return None
        return Item(self.items.pop(0), more_ready=bool(self.items))

    async def handle(self, item: Item) -> None:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        await self.release.wait()
        self.running -= 1
        self.handled.append(item.value)


async def test_wake_ends_the_idle_wait_of_a_claiming_worker() -> None:
    queue = Queue()
    worker = ClaimingWorker(queue.claim, queue.handle, max_concurrent=2, idle_poll_s=FOREVER_S)
    task = asyncio.create_task(worker.run())
    await eventually(lambda: queue.claims == 1, what="the first, empty claim")
    queue.items.append(7)
    worker.wake()
    await eventually(lambda: queue.handled == [7], what="the woken worker to handle the item")
    worker.stop()
    await asyncio.wait_for(task, timeout=5)
    assert queue.handled == [7]
    assert queue.claims >= 2  # the empty claim, then the one the wake-up caused


async def test_a_wake_during_a_claim_is_not_lost() -> None:
    queue = Queue()

    async def claim_then_announce() -> Item | None:
        found = await queue.claim()
        if queue.claims == 1:  # work committed after this claim's snapshot
            queue.items.append(9)
            worker.wake()
        return found

    worker = ClaimingWorker(
        claim_then_announce, queue.handle, max_concurrent=1, idle_poll_s=FOREVER_S
    )

    task = asyncio.create_task(worker.run())
    await eventually(lambda: queue.handled == [9], what="the item announced mid-claim")
    worker.stop()
    await asyncio.wait_for(task, timeout=5)
    assert queue.handled == [9]
    assert queue.items == []


async def test_claiming_stops_at_max_concurrent_and_stop_lets_items_finish() -> None:
    queue = Queue()
    queue.items.extend(range(5))
    queue.release.clear()
    worker = ClaimingWorker(queue.claim, queue.handle, max_concurrent=2, idle_poll_s=FOREVER_S)
    task = asyncio.create_task(worker.run())
    await eventually(lambda: queue.running == 2, what="two items in flight")
    worker.stop()
    queue.release.set()
    await asyncio.wait_for(task, timeout=5)
    assert queue.most_at_once == 2
    assert sorted(queue.handled) == [0, 1]  # nothing claimed after the stop
    assert queue.items == [2, 3, 4]


async def test_after_the_last_ready_item_the_worker_waits_to_be_woken() -> None:
    queue = Queue()
    queue.items.extend([1, 2, 3])
    worker = ClaimingWorker(queue.claim, queue.handle, max_concurrent=4, idle_poll_s=FOREVER_S)
    task = asyncio.create_task(worker.run())
    await eventually(lambda: queue.handled == [1, 2, 3], what="the three ready items")
    for _ in range(20):  # scheduling rounds for a claim that should not happen
        await asyncio.sleep(0)
    assert queue.claims == 3  # the third said nothing else was ready: no empty claim

    queue.items.append(4)
    worker.wake()
    await eventually(lambda: queue.handled == [1, 2, 3, 4], what="the item after the wake")
    worker.stop()
    await asyncio.wait_for(task, timeout=5)
    assert queue.claims == 4
