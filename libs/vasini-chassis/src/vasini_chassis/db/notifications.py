"""PostgreSQL LISTEN for the whole process, on one connection.

Work that others commit — outbox rows for the relay, queued runs and tool calls for
the workers that claim them, run events for live streams — is announced by a NOTIFY
in the committing transaction, so it is delivered exactly when the work becomes
visible. Waiting code subscribes a callback per channel instead of polling; every
waiter still polls slowly as a fallback, because notifications are lost while the
connection is down.

Callbacks run on the event loop and must be quick (set an event, nothing more).
They get the notification's payload; after each (re)connection every callback gets
`RECONNECTED`, meaning "anything may have happened meanwhile: look now".
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import Callable

import asyncpg

from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.logging import get_logger

log = get_logger(__name__)

Callback = Callable[[str], None]
RECONNECTED = ""
_MAX_CHANNEL_BYTES = 63  # NAMEDATALEN - 1: LISTEN would truncate, pg_notify would fail


def table_channel(schema: str, table: str) -> str:
    """The channel on which inserts into `schema.table` are announced."""
    channel = f"{schema}_{table}"
    if len(channel.encode()) > _MAX_CHANNEL_BYTES:
        raise ValueError(
            f"notification channel {channel!r} is longer than {_MAX_CHANNEL_BYTES} bytes: "
            "use a shorter schema name"
        )
    return channel


class Notifications:
    def __init__(
        self, database_url: str, *, application_name: str = "vasini-listen", retry_s: float = 1.0
    ) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self.application_name = application_name  # how it shows in pg_stat_activity
        self._retry_s = retry_s
        self._callbacks: dict[str, list[Callback]] = defaultdict(list)
        self._stopping = asyncio.Event()
        self._started = False
        self.listening = False

    def subscribe(self, channel: str, callback: Callback) -> None:
        """Call `callback(payload)` on every NOTIFY on `channel`; before `run()` only."""
        if self._started:
            raise RuntimeError("subscribe before the listener starts")
        self._callbacks[channel].append(callback)

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        """Listen until `stop()`, reconnecting after connection losses."""
        self._started = True
        if not self._callbacks:
            return
        while not self._stopping.is_set():
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(
                    self._dsn, server_settings={"application_name": self.application_name}
                )
                for channel in self._callbacks:
                    await conn.add_listener(channel, self._deliver)
                self.listening = True
                self._announce_reconnect()
                while not conn.is_closed() and not self._stopping.is_set():
                    # Wake on stop, or now and then to notice a dropped connection.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), self._retry_s)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("LISTEN connection lost; waiters poll meanwhile", error=str(exc))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._retry_s)
            finally:
                self.listening = False
                if conn is not None and not conn.is_closed():
                    await conn.close()

    def _deliver(self, _conn: object, _pid: int, channel: str, payload: object) -> None:
        for callback in self._callbacks.get(channel, ()):
            callback(str(payload))

    def _announce_reconnect(self) -> None:
        for callbacks in self._callbacks.values():
            for callback in callbacks:
                callback(RECONNECTED)
