"""Stream naming: the stream key of an event is its type, behind an optional prefix.

The prefix lets several environments (or test cases) share one Redis without seeing each
other's traffic; production runs with the empty prefix, so a stream key is exactly the
event type and any producer can publish with one XADD.
"""

from __future__ import annotations

DLQ_TYPE = "ai.vasini.dlq.v1"
"""Dead-lettered entries of every consumer are published to this stream."""

OUTPUT_DELTA_TYPE = "ai.vasini.run.output.delta.v1"
"""Ephemeral token deltas; the only stream written outside the outbox (capped)."""

EPHEMERAL_MAXLEN = 10_000
"""Approximate cap of ephemeral streams: old deltas are trimmed, nothing depends on them."""


def stream_key(event_type: str, prefix: str = "") -> str:
    return f"{prefix}{event_type}"


def event_type_of_stream(stream: str, prefix: str = "") -> str:
    return stream.removeprefix(prefix)
