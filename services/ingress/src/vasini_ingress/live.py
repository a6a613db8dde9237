"""Feeds a run's live event streams (SSE) from the run_events NOTIFY trigger.

Each committed event is announced with the run id, its number within the run and, when
it fits in a notification, its kind and data. A run's events are numbered in commit
order (the append takes the run row's lock), and notifications arrive in commit order,
so a stream can send notified events straight away as long as their numbers follow the
last one it sent. Anything it cannot vouch for (a gap, an event announced without its
content, a reconnection of the listening connection after which notifications may have
been lost) sends it back to the table. A stream registers before it reads, so nothing
committed while it reads is missed. Any ingress replica can serve any stream: each one
listens.

The payload carries tenant data past row-level security: any role that can LISTEN on
the database sees it. That adds nothing to what such a role can already do (choose its
own tenant with set_config), and the ingress process routes each event only to streams
that were checked to belong to the run's tenant.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from vasini_chassis.db.notifications import RECONNECTED
from vasini_ingress.adapters.repository import RunEventRow


class Watch:
    """One live stream's view of its run's notifications."""

    def __init__(self) -> None:
        self.woken = asyncio.Event()
        self._notified: list[RunEventRow] = []
        self._must_read = False

    def follow(self, last_n: int | None) -> list[RunEventRow] | None:
        """The events notified since the last call that come after event `last_n`, in
        order, or None when the stream must read the table instead: one was announced
        without its content, numbers do not follow on, or some may have been missed."""
        notified, self._notified = self._notified, []
        must_read, self._must_read = self._must_read, False
        if must_read:
            return None
        if not notified:
            return []
        if last_n is None:
            return None
        rows = [row for row in notified if row.n is None or row.n > last_n]
        expected = range(last_n + 1, last_n + 1 + len(rows))
        if [row.n for row in rows] != list(expected):
            return None
        return rows

    def notify(self, row: RunEventRow | None) -> None:
        """An event of the run was committed (None: only a read can tell what)."""
        if row is None:
            self._must_read = True
        else:
            self._notified.append(row)
        self.woken.set()


class LiveRuns:
    def __init__(self) -> None:
        self._watches: dict[str, set[Watch]] = defaultdict(set)

    def changed(self, payload: str) -> None:
        """A run_events notification (RECONNECTED: every run may have missed some)."""
        if payload == RECONNECTED:
            for every in self._watches.values():
                for watch in every:
                    watch.notify(None)
            return
        note = json.loads(payload)
        watches = self._watches.get(note["run_id"], ())
        row = None
        if "kind" in note and note["n"] is not None:
            row = RunEventRow(seq=note["seq"], n=note["n"], kind=note["kind"], data=note["data"])
        for watch in watches:
            watch.notify(row)

    @contextmanager
    def watch(self, run_id: str) -> Iterator[Watch]:
        """Notifications of `run_id`'s events while the block runs."""
        watch = Watch()
        self._watches[run_id].add(watch)
        try:
            yield watch
        finally:
            watches = self._watches[run_id]
            watches.discard(watch)
            if not watches:
                del self._watches[run_id]
