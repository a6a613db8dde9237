"""The stream consumer: at-least-once delivery turned into exactly-once effects.

Per read batch (XREADGROUP `>` across every subscribed stream):
1. decode each entry; entries that can never be handled (not JSON, not a CloudEvent,
   unknown type, invalid data, no handler) are dead-lettered at once;
2. run the handlers in ONE transaction: the inbox insert of all event ids, sent with
   the BEGIN, fails if one was handled before; then the transaction is redone with an
   insert `ON CONFLICT DO NOTHING` that tells which are new, and duplicates are
   skipped; each new event runs under its tenant's RLS scope and its emitted events
   join the outbox;
3. XACK only after the commit.
If anything in the batch fails, the transaction is rolled back and each event is
retried in its own transaction, so one bad event cannot hold back the others. A
failing event stays pending and is redelivered by the reclaim loop (XAUTOCLAIM after
`claim_idle_ms`), which also adopts entries of consumers that died; at
`max_deliveries` it is dead-lettered with its last error. While a batch runs, its
entries' claims are refreshed, so a long handler is not mistaken for a dead one.

Groups are created at id `0` (not `$`) before the service publishes anything, so a
group never misses entries written before it existed. See docs/adr/0001.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeAlias, cast

import asyncpg
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database, is_literal_safe, set_tenant
from vasini_chassis.errors import RejectEvent
from vasini_chassis.logging import bound, get_logger
from vasini_chassis.messaging.context import HandlerContext
from vasini_chassis.messaging.deadletter import Rejection, record_dead_letters
from vasini_chassis.messaging.delivery import Delivery
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.messaging.router import Route, Router
from vasini_chassis.messaging.statements import (
    claim_inbox_sql,
    fetch,
    insert_inbox_literal_sql,
)
from vasini_contracts import (
    CloudEvent,
    ContractError,
    EventData,
    decode_entry,
    model_for,
    parse_data,
)
from vasini_contracts.streams import stream_key

log = get_logger(__name__)

# XREADGROUP's RESP2 reply: [(stream, [(entry id, {field: value})])]; redis-py types it
# as a union of every protocol's shape.
_ReadReply: TypeAlias = list[tuple[bytes, list[tuple[bytes, dict[bytes, bytes]]]]] | None


@dataclass(frozen=True)
class _Ready:
    delivery: Delivery
    event: CloudEvent
    data: EventData
    route: Route


@dataclass
class ConsumerStats:
    handled: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    failures: int = 0
    reclaimed: int = 0


class Consumer:
    def __init__(
        self,
        db: Database,
        redis: Redis,
        router: Router,
        *,
        service: str,
        consumer_name: str,
        stream_prefix: str = "",
        batch_size: int = 100,
        block_ms: int = 1_000,
        claim_idle_ms: int = 30_000,
        max_deliveries: int = 5,
    ) -> None:
        self._db = db
        self._redis = redis
        self._routes = router.routes
        self.group = service
        self.service = service
        self.consumer_name = consumer_name
        self._prefix = stream_prefix
        self._batch_size = batch_size
        self._block_ms = block_ms
        self._claim_idle_ms = claim_idle_ms
        self._max_deliveries = max_deliveries
        self.streams = [stream_key(t, stream_prefix) for t in sorted(self._routes)]
        self._claim_inbox_sql = claim_inbox_sql(db.schema)
        # Inbox rows can ride on the BEGIN only as literals: the group name must allow it.
        self._inbox_with_begin = is_literal_safe(self.group)
        self._stopping = asyncio.Event()
        self.stats = ConsumerStats()
        self.running = False

    # -- lifecycle -------------------------------------------------------------------

    async def ensure_groups(self) -> None:
        """Create this service's group on every stream at id 0 (idempotent)."""
        for stream in self.streams:
            try:
                await self._redis.xgroup_create(stream, self.group, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    def stop(self) -> None:
        """Finish the batch in hand, then return from run()."""
        self._stopping.set()

    async def run(self) -> None:
        if not self.streams:
            return
        await self.ensure_groups()
        loop = asyncio.get_running_loop()
        reclaim_every = self._claim_idle_ms / 2000
        next_reclaim = loop.time()
        self.running = True
        try:
            while not self._stopping.is_set():
                try:
                    if loop.time() >= next_reclaim:
                        await self.reclaim_once()
                        next_reclaim = loop.time() + reclaim_every
                    await self.poll_once(block_ms=self._block_ms)
                except (OSError, ConnectionError, ResponseError) as exc:
                    log.warning("stream read failed; retrying", error=str(exc))
                    await asyncio.sleep(min(1.0, reclaim_every))
        finally:
            self.running = False

    # -- reading ---------------------------------------------------------------------

    async def poll_once(self, *, block_ms: int | None = None) -> int:
        """Read and process one batch of new entries; returns how many were read."""
        response = await self._redis.xreadgroup(
            self.group,
            self.consumer_name,
            dict.fromkeys(self.streams, ">"),
            count=self._batch_size,
            block=block_ms,
        )
        streams = cast("_ReadReply", response) or []
        deliveries: list[Delivery] = []
        for stream, entries in streams:
            name = _text(stream)
            deliveries.extend(Delivery(name, i.decode(), fields, 1) for i, fields in entries)
        if len(streams) > 1:
            # Redis answers stream by stream; handle in publication order instead (entry
            # ids are the server's clock), so a read holding a run's last deltas and its
            # completion handles the deltas first. One stream's entries are in order.
            deliveries.sort(key=_entry_order)
        if deliveries:
            await self.process(deliveries)
        return len(deliveries)

    async def reclaim_once(self) -> int:
        """Adopt entries pending longer than `claim_idle_ms` (dead consumer or failed)."""
        adopted = 0
        for stream in self.streams:
            cursor = "0-0"
            while True:
                cursor_raw, entries, *_ = await self._redis.xautoclaim(
                    stream,
                    self.group,
                    self.consumer_name,
                    min_idle_time=self._claim_idle_ms,
                    start_id=cursor,
                    count=self._batch_size,
                )
                cursor = _text(cursor_raw)
                live = [(_text(i), f) for i, f in entries if f is not None]
                gone = [_text(i) for i, f in entries if f is None]
                if gone:  # trimmed away before anyone handled them: nothing left to do
                    await self._redis.xack(stream, self.group, *gone)
                if live:
                    # Counted when adopted, before handling: whoever sees an adopted
                    # entry's effect also sees it counted.
                    adopted += len(live)
                    self.stats.reclaimed += len(live)
                    counts = await self._delivery_counts(stream, [i for i, _ in live])
                    await self.process([Delivery(stream, i, f, counts.get(i, 1)) for i, f in live])
                if cursor == "0-0" or not entries:
                    break
        return adopted

    async def _delivery_counts(self, stream: str, ids: list[str]) -> dict[str, int]:
        pipe = self._redis.pipeline(transaction=False)
        for entry_id in ids:
            pipe.xpending_range(stream, self.group, min=entry_id, max=entry_id, count=1)
        counts: dict[str, int] = {}
        for result in await pipe.execute():
            for item in result:
                counts[_text(item["message_id"])] = int(item["times_delivered"])
        return counts

    # -- processing ------------------------------------------------------------------

    async def process(self, deliveries: Sequence[Delivery]) -> None:
        ready: list[_Ready] = []
        rejections: list[Rejection] = []
        for delivery in deliveries:
            item = self._decode(delivery)
            if isinstance(item, Rejection):
                rejections.append(item)
            else:
                ready.append(item)
        keeper = asyncio.create_task(self._keep_claimed(deliveries))
        try:
            done = await self._handle(ready, rejections)
            if rejections:
                await self._dead_letter(rejections)
                done.extend(r.delivery for r in rejections)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        await self._ack(done)

    def _decode(self, delivery: Delivery) -> _Ready | Rejection:
        event: CloudEvent | None = None
        try:
            event = decode_entry(delivery.fields)
            route = self._routes.get(event.type)
            if route is None:
                model_for(event.type)  # an unknown type raises UnknownEventType here
                reason = f"{self.service} has no handler for {event.type}"
                return Rejection(delivery, "NO_HANDLER", reason, event)
            return _Ready(delivery, event, parse_data(event, route.model), route)
        except ContractError as exc:
            return Rejection(delivery, exc.code, exc.message, event)

    async def _handle(self, ready: list[_Ready], rejections: list[Rejection]) -> list[Delivery]:
        """Run handlers; returns deliveries to ack. Failed ones are left pending."""
        if not ready:
            return []
        if len(ready) > 1:
            try:
                await self._transaction(ready)
                return [item.delivery for item in ready]
            except Exception as exc:
                log.info("batch failed, retrying its events one by one", error=_short(exc))
        done: list[Delivery] = []
        for item in ready:
            try:
                await self._transaction([item])
                done.append(item.delivery)
            except RejectEvent as exc:
                rejections.append(Rejection(item.delivery, exc.code, exc.message, item.event))
            except Exception as exc:
                self.stats.failures += 1
                if item.delivery.deliveries >= self._max_deliveries:
                    rejections.append(
                        Rejection(item.delivery, "MAX_DELIVERIES", _short(exc), item.event)
                    )
                else:
                    with _bound(item.event):
                        log.warning(
                            "handler failed; will be redelivered",
                            error=_short(exc),
                            deliveries=item.delivery.deliveries,
                            exc_info=not isinstance(exc, (OSError, ConnectionError)),
                        )
        return done

    async def _transaction(self, items: list[_Ready]) -> None:
        """Handle `items` in one transaction, scoped to the first event's tenant from
        BEGIN on (the inbox has no RLS, so the claim is unaffected). Events are nearly
        always new: their inbox rows ride on the BEGIN, one round trip for all three,
        and only when one is not (a redelivery) is the transaction redone with a claim
        that tells which are."""
        ids = [item.event.id for item in items]
        tenant = items[0].event.tenantid
        if self._inbox_with_begin:
            inbox = insert_inbox_literal_sql(self._db.schema, self.group, ids)
            try:
                async with self._db.transaction(tenant, then=inbox) as conn:
                    await self._run_handlers(conn, tenant, items)
                self.stats.handled += len(items)
                return
            except asyncpg.UniqueViolationError as exc:
                if exc.table_name != "inbox" or exc.schema_name != self._db.schema:
                    raise  # a handler's own constraint
        async with self._db.transaction(tenant) as conn:
            new_ids = await self._claim_inbox(conn, ids)
            fresh: list[_Ready] = []
            for item in items:
                if item.event.id in new_ids:
                    new_ids.discard(item.event.id)  # the same event twice in one batch
                    fresh.append(item)
            await self._run_handlers(conn, tenant, fresh)
        self.stats.handled += len(fresh)
        self.stats.duplicates += len(items) - len(fresh)

    async def _run_handlers(self, conn: AsyncConnection, tenant: str, items: list[_Ready]) -> None:
        """The handlers of `items`, each under its tenant (`conn` is scoped to `tenant`
        now), and their events to the outbox."""
        emitted: list[CloudEvent] = []
        for group in _runs(items):
            if group[0].event.tenantid != tenant:
                tenant = group[0].event.tenantid
                await set_tenant(conn, tenant)
            contexts = [
                HandlerContext(conn, i.event, i.delivery.deliveries, self.service) for i in group
            ]
            await self._call(group, contexts)
            for ctx in contexts:
                emitted.extend(ctx.emitted)
        await enqueue(conn, emitted, stream_prefix=self._prefix)

    @staticmethod
    async def _call(group: list[_Ready], contexts: list[HandlerContext]) -> None:
        route = group[0].route
        if route.batch_handler is not None:
            # A batch shares type and tenant only: per-event ids would mislabel its lines.
            with bound(event_type=route.event_type, tenant_id=group[0].event.tenantid):
                await route.batch_handler(
                    [(ctx, item.data) for ctx, item in zip(contexts, group, strict=True)]
                )
            return
        assert route.handler is not None
        for ctx, item in zip(contexts, group, strict=True):
            with _bound(item.event):
                await route.handler(ctx, item.data)

    async def _claim_inbox(
        self, conn: AsyncConnection, event_ids: list[uuid.UUID]
    ) -> set[uuid.UUID]:
        rows = await fetch(conn, self._claim_inbox_sql, self.group, event_ids)
        return {row[0] for row in rows}

    async def _dead_letter(self, rejections: list[Rejection]) -> None:
        async with self._db.transaction() as conn:
            await record_dead_letters(
                conn,
                rejections,
                consumer=self.group,
                service=self.service,
                stream_prefix=self._prefix,
            )
        self.stats.dead_lettered += len(rejections)
        for r in rejections:
            with _bound(r.event) if r.event else contextlib.nullcontext():
                log.error(
                    "event dead-lettered",
                    stream=r.delivery.stream,
                    entry_id=r.delivery.entry_id,
                    reason_code=r.code,
                    error=r.error,
                    deliveries=r.delivery.deliveries,
                )

    async def _ack(self, deliveries: Sequence[Delivery]) -> None:
        if not deliveries:
            return
        pipe = self._redis.pipeline(transaction=False)
        for stream, ids in _by_stream(deliveries).items():
            pipe.xack(stream, self.group, *ids)
        await pipe.execute()

    async def _keep_claimed(self, deliveries: Sequence[Delivery]) -> None:
        """Reset the idle time of in-flight entries so nobody reclaims them from us."""
        by_stream = _by_stream(deliveries)
        while True:
            await asyncio.sleep(self._claim_idle_ms / 3000)
            pipe = self._redis.pipeline(transaction=False)
            for stream, ids in by_stream.items():
                claimed: list[int | bytes | str | memoryview[int]] = [*ids]
                pipe.xclaim(stream, self.group, self.consumer_name, 0, claimed, justid=True)
            await pipe.execute()


def _runs(items: list[_Ready]) -> Iterator[list[_Ready]]:
    """Consecutive items of one batch route and tenant; every per-event item alone."""
    group: list[_Ready] = []
    for item in items:
        if group and not (
            item.route.batch_handler is not None
            and item.route is group[0].route
            and item.event.tenantid == group[0].event.tenantid
        ):
            yield group
            group = []
        group.append(item)
    if group:
        yield group


def _by_stream(deliveries: Iterable[Delivery]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for d in deliveries:
        grouped[d.stream].append(d.entry_id)
    return grouped


def _bound(event: CloudEvent) -> contextlib.AbstractContextManager[None]:
    return bound(
        event_id=str(event.id),
        event_type=event.type,
        tenant_id=event.tenantid,
        run_id=event.correlationid,
        trace_id=event.trace_id,
    )


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _short(exc: BaseException, limit: int = 2_000) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _entry_order(delivery: Delivery) -> tuple[int, int]:
    millis, _, sequence = delivery.entry_id.partition("-")
    return int(millis), int(sequence or 0)
