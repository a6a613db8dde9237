"""Events in and out: outbox + relay, inbox dedup, the stream consumer, dead letters."""

from __future__ import annotations

from vasini_chassis.messaging.consumer import Consumer
from vasini_chassis.messaging.context import HandlerContext
from vasini_chassis.messaging.outbox import enqueue
from vasini_chassis.messaging.relay import OutboxRelay
from vasini_chassis.messaging.router import Router

__all__ = ["Consumer", "HandlerContext", "OutboxRelay", "Router", "enqueue"]
