"""Wakes a run's live event streams (SSE) when events of that run are committed.

Fed by the run_events NOTIFY trigger (payload: the run id); a stream registers before
it reads, so an event committed while it reads wakes it again rather than being
missed. Any ingress replica can serve any stream: each one listens.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from vasini_chassis.db.notifications import RECONNECTED


class LiveRuns:
    def __init__(self) -> None:
        self._watchers: dict[str, set[asyncio.Event]] = defaultdict(set)

    def changed(self, run_id: str) -> None:
        """Events of `run_id` were committed (every run's, after a reconnection)."""
        if run_id == RECONNECTED:
            for watchers in self._watchers.values():
                for event in watchers:
                    event.set()
            return
        for event in self._watchers.get(run_id, ()):
            event.set()

    @contextmanager
    def watch(self, run_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever `run_id` has new events; clear it before each read."""
        event = asyncio.Event()
        self._watchers[run_id].add(event)
        try:
            yield event
        finally:
            watchers = self._watchers[run_id]
            watchers.discard(event)
            if not watchers:
                del self._watchers[run_id]
