"""Answer text as it streams: `run.output.delta` events XADDed straight to Redis.

Deltas are ephemeral by design: losing one costs a client a few characters of live
text, never the answer (run.completed carries it whole). So they skip the outbox —
a Postgres write per token would cost more than the model call — and the stream is
capped in length.
"""

from __future__ import annotations

from redis.asyncio import Redis

from vasini_chassis.messaging.context import child_traceparent
from vasini_contracts import encode_entry, new_event, stream_key
from vasini_contracts.events.runs import RunOutputDelta
from vasini_runtime_worker.domain.run import RunRecord

DELTA_TYPE = "ai.vasini.run.output.delta.v1"
STREAM_MAX_LEN = 100_000


class RedisDeltaPublisher:
    def __init__(self, redis: Redis, stream_prefix: str) -> None:
        self._redis = redis
        self._stream = stream_key(DELTA_TYPE, stream_prefix)

    async def publish(self, record: RunRecord, seq: int, text: str) -> None:
        event = new_event(
            RunOutputDelta(run_id=record.run_id, step=record.step + 1, seq=seq, text=text),
            source="/vasini/runtime-worker",
            tenant_id=record.tenant_id,
            subject=f"run/{record.run_id}",
            correlation_id=record.run_id,
            traceparent=child_traceparent(record.traceparent),
        )
        await self._redis.xadd(
            self._stream,
            encode_entry(event),  # type: ignore[arg-type]
            maxlen=STREAM_MAX_LEN,
            approximate=True,
        )
