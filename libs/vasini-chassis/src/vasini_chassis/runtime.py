"""The service runtime: the process-level composition every service's app.py uses.

Start order matters: migrations, then consumer groups (at id 0) on every subscribed
stream, and only then the relay, so this service never publishes before its own
groups exist. Stop order: stop reading, let the batch in hand finish (bounded by
`shutdown_grace_s`), drain the outbox once, stop the relay, the API, then the
publisher (marking what it sent), close connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Protocol

import uvloop
from redis.asyncio import Redis
from starlette.applications import Starlette

from vasini_chassis.db.engine import Database
from vasini_chassis.db.notifications import Callback, Notifications, table_channel
from vasini_chassis.db.urls import url_user
from vasini_chassis.gc_tuning import tune_gc
from vasini_chassis.health import HealthServer, health_app, health_routes, health_server
from vasini_chassis.logging import configure_logging, get_logger
from vasini_chassis.messaging.consumer import Consumer
from vasini_chassis.messaging.publisher import OutboxPublisher
from vasini_chassis.messaging.relay import OutboxRelay
from vasini_chassis.messaging.router import Router
from vasini_chassis.migrations.runner import migrate
from vasini_chassis.settings import ServiceSettings

log = get_logger(__name__)


class Worker(Protocol):
    """Long-running work a service does besides consuming events (e.g. the runtime's
    run executor): `run` until `stop` is called, finishing what it holds."""

    async def run(self) -> None: ...

    def stop(self) -> None: ...


class ServiceRuntime:
    def __init__(
        self,
        settings: ServiceSettings,
        router: Router,
        *,
        migrations: Path | None = None,
    ) -> None:
        self.settings = settings
        self._http_app: Starlette | None = None
        self._workers: dict[str, Worker] = {}
        self._router = router
        self._migrations = migrations
        self._tasks: list[asyncio.Task[None]] = []
        self._health: HealthServer | None = None
        self.db = Database(
            settings.database_url,
            schema=settings.schema_name,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_pool_overflow,
        )
        # Blocking XREADGROUP holds a connection for block_ms: give sockets headroom.
        self.redis = Redis.from_url(
            settings.redis_url,
            socket_timeout=settings.read_block_ms / 1000 + 10,
            health_check_interval=30,
        )
        self.consumer = Consumer(
            self.db,
            self.redis,
            router,
            service=settings.service_name,
            consumer_name=settings.consumer_name,
            stream_prefix=settings.stream_prefix,
            batch_size=settings.read_batch,
            block_ms=settings.read_block_ms,
            claim_idle_ms=settings.claim_idle_ms,
            max_deliveries=settings.max_deliveries,
        )
        self.relay = OutboxRelay(
            self.db,
            self.redis,
            batch_size=settings.relay_batch,
            poll_interval=settings.relay_poll_s,
            retention=timedelta(seconds=settings.outbox_retention_s),
        )
        self.publisher = (
            OutboxPublisher(self.db, self.redis, lease_s=settings.publish_lease_s)
            if settings.publish_on_commit
            else None
        )
        self.notifications = Notifications(
            settings.database_url, application_name=f"{settings.consumer_name}:listen"
        )
        self.on_notify("outbox", lambda _: self.relay.wake())

    def on_notify(self, table: str, callback: Callback) -> None:
        """Call `callback(payload)` when the NOTIFY trigger of this service's `table`
        (migrations/notify.py, or one a migration writes) announces committed rows —
        inserted, or changed as that trigger says; call before `start`."""
        self.notifications.subscribe(table_channel(self.settings.schema_name, table), callback)

    def add_worker(self, name: str, worker: Worker) -> None:
        """Run `worker` while the service runs; it is stopped first on shutdown (before
        the consumer), so what it emits still reaches the outbox and the relay."""
        self._workers[name] = worker

    def serve(self, app: Starlette) -> None:
        """Serve `app` (a service's own API, built on this runtime's db and redis) on
        `http_port`, with the health routes added; call before `start`."""
        self._http_app = app

    @property
    def health_port(self) -> int | None:
        if self._health is None or not self._health.servers:
            return None
        return int(self._health.servers[0].sockets[0].getsockname()[1])

    async def start(self) -> None:
        s = self.settings
        if self._migrations is not None:
            app_role = url_user(s.database_url) if s.database_admin_url else None
            await migrate(s.migrate_url, self._migrations, schema=s.schema_name, app_role=app_role)
        await self.consumer.ensure_groups()
        self._spawn(self.notifications.run(), "listen")
        self._spawn(self.relay.run(), "relay")
        if self.publisher is not None:
            self._spawn(self.publisher.run(), "publisher")
        self._spawn(self.consumer.run(), "consumer")
        for name, worker in self._workers.items():
            self._spawn(worker.run(), f"worker:{name}")
        if s.http_port is not None:
            checks = self._readiness_checks()
            if self._http_app is None:
                app = health_app(s.service_name, checks)
            else:
                app = self._http_app
                app.router.routes.extend(health_routes(s.service_name, checks))
            self._health = health_server(app, s.http_host, s.http_port)
            self._spawn(self._health.serve(), "health")
            # uvicorn exposes readiness only as a flag: poll it briefly.
            while not self._health.started:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        log.info("service started", consumer=s.consumer_name, streams=self.consumer.streams)

    def _spawn(self, coro: Awaitable[None], name: str) -> None:
        async def supervised() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("service task crashed", task=name)
                raise

        self._tasks.append(asyncio.create_task(supervised(), name=name))

    def _readiness_checks(self) -> dict[str, Callable[[], Awaitable[bool]]]:
        async def consumer_running() -> bool:
            return self.consumer.running or not self.consumer.streams

        async def relay_running() -> bool:
            return any(t.get_name() == "relay" and not t.done() for t in self._tasks)

        async def redis_ping() -> bool:
            return bool(await self.redis.ping())

        return {
            "database": self.db.ping,
            "redis": redis_ping,
            "consumer": consumer_running,
            "relay": relay_running,
        }

    async def stop(self) -> None:
        grace = self.settings.shutdown_grace_s
        for worker in self._workers.values():
            worker.stop()
        await self._wait([t for t in self._tasks if t.get_name().startswith("worker:")], grace)
        self.consumer.stop()
        consumer_tasks = [t for t in self._tasks if t.get_name() == "consumer"]
        await self._wait(consumer_tasks, grace)
        self.relay.stop()
        self.notifications.stop()
        await self._wait([t for t in self._tasks if t.get_name() in {"relay", "listen"}], grace)
        with contextlib.suppress(Exception):
            # Publish what the last batch emitted, so a clean stop leaves nothing behind.
            while await self.relay.relay_once():
                pass
        if self._health is not None:
            self._health.should_exit = True
        await self._wait([t for t in self._tasks if t.get_name() == "health"], grace)
        if self.publisher is not None:  # after the API: its requests publish too
            self.publisher.stop()
        await self._wait(self._tasks, grace)
        await self.db.dispose()
        await self.redis.aclose()
        log.info("service stopped")

    @staticmethod
    async def _wait(tasks: list[asyncio.Task[None]], timeout: float) -> None:
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def run_until_signalled(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await self.start()
        await stop.wait()
        log.info("stop signal received; finishing in-flight work")
        await self.stop()


def run_service(build: Callable[[], ServiceRuntime]) -> None:
    """Process entry point: build the runtime inside the loop, run until SIGTERM/SIGINT.
    The loop is uvloop's: a service mostly waits on and writes to sockets (PostgreSQL,
    Redis, HTTP), which it does in C rather than in asyncio's Python transports. The
    garbage collector runs at a service's pace (gc_tuning)."""

    async def main() -> None:
        runtime = build()
        configure_logging(
            service=runtime.settings.service_name,
            json=runtime.settings.log_json,
            level=runtime.settings.log_level,
        )
        await runtime.run_until_signalled()

    tune_gc()
    uvloop.run(main())
