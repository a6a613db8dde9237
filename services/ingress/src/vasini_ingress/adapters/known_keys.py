"""API key lookups kept in memory, so an authenticated request costs no database round
trip once its key was seen.

A key's row changes only when it is revoked, re-hashed or deleted, and each such change
is announced (migration 0005's trigger): the cached lookup is dropped when that
notification arrives, and everything is dropped after the listening connection
reconnects, since notifications may have been lost meanwhile. A lookup that was in
flight while any key changed is not kept: it may have read the row before the change.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable

from vasini_chassis.db.notifications import RECONNECTED
from vasini_ingress.adapters.repository import StoredKey


class KnownKeys:
    def __init__(
        self, find: Callable[[str], Awaitable[StoredKey | None]], *, capacity: int = 10_000
    ) -> None:
        self._find = find
        self._capacity = capacity
        self._keys: OrderedDict[str, StoredKey] = OrderedDict()
        self._changes = 0  # how many changes were announced so far

    async def find(self, key_id: str) -> StoredKey | None:
        known = self._keys.get(key_id)
        if known is not None:
            self._keys.move_to_end(key_id)
            return known
        changes = self._changes
        stored = await self._find(key_id)
        if stored is not None and changes == self._changes:
            self._keys[key_id] = stored
            if len(self._keys) > self._capacity:
                self._keys.popitem(last=False)  # the least recently used
        return stored

    def changed(self, key_id: str) -> None:
        """The api_keys notification: `key_id` changed (RECONNECTED: any may have)."""
        self._changes += 1
        if key_id == RECONNECTED:
            self._keys.clear()
        else:
            self._keys.pop(key_id, None)
