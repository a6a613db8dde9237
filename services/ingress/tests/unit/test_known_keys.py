"""Cached API key lookups: kept until a change of that key is announced."""

from __future__ import annotations

import asyncio

from vasini_chassis.db.notifications import RECONNECTED
from vasini_ingress.adapters.known_keys import KnownKeys
from vasini_ingress.adapters.repository import StoredKey


class Table:
    """The api_keys rows a lookup reads, counting the reads."""

    def __init__(self, **keys: StoredKey) -> None:
        self.keys = keys
        self.reads: list[str] = []
        self.reading = asyncio.Event()
        self.gate: asyncio.Event | None = None

    async def find(self, key_id: str) -> StoredKey | None:
        self.reads.append(key_id)
        self.reading.set()
        if self.gate is not None:
            await self.gate.wait()
        return self.keys.get(key_id)


def key(tenant: str, *, revoked: bool = False) -> StoredKey:
    return StoredKey(tenant_id=tenant, secret_hash="h", revoked=revoked)


async def test_a_key_seen_once_is_not_read_again() -> None:
    table = Table(k1=key("t1"))
    keys = KnownKeys(table.find)

    assert await keys.find("k1") == key("t1")
    assert await keys.find("k1") == key("t1")
    assert table.reads == ["k1"]


async def test_a_change_announced_for_a_key_makes_the_next_lookup_read_it() -> None:
    table = Table(k1=key("t1"), k2=key("t2"))
    keys = KnownKeys(table.find)
    await keys.find("k1")
    await keys.find("k2")

    table.keys["k1"] = key("t1", revoked=True)
    keys.changed("k1")

    assert (await keys.find("k1")).revoked  # type: ignore[union-attr]
    assert await keys.find("k2") == key("t2")
    assert table.reads == ["k1", "k2", "k1"]


async def test_a_reconnection_forgets_every_key() -> None:
    table = Table(k1=key("t1"), k2=key("t2"))
    keys = KnownKeys(table.find)
    await keys.find("k1")
    await keys.find("k2")

    keys.changed(RECONNECTED)
    await keys.find("k1")
    await keys.find("k2")

    assert table.reads == ["k1", "k2", "k1", "k2"]


async def test_a_lookup_in_flight_while_a_key_changes_is_not_kept() -> None:
    table = Table(k1=key("t1"))
    table.gate = asyncio.Event()
    keys = KnownKeys(table.find)
    lookup = asyncio.create_task(keys.find("k1"))
    await table.reading.wait()  # the read has started: it may see the row before the change

    keys.changed("k1")
    table.gate.set()
    await lookup
    await keys.find("k1")

    assert table.reads == ["k1", "k1"]


async def test_unknown_keys_are_read_every_time() -> None:
    table = Table()
    keys = KnownKeys(table.find)

    assert await keys.find("nope") is None
    assert await keys.find("nope") is None
    assert table.reads == ["nope", "nope"]


async def test_beyond_capacity_the_least_recently_used_key_is_dropped() -> None:
    table = Table(k1=key("t1"), k2=key("t2"), k3=key("t3"))
    keys = KnownKeys(table.find, capacity=2)
    await keys.find("k1")
    await keys.find("k2")
    await keys.find("k1")  # k2 is now the least recently used

    await keys.find("k3")
    await keys.find("k1")
    await keys.find("k2")

    assert table.reads == ["k1", "k2", "k3", "k2"]
