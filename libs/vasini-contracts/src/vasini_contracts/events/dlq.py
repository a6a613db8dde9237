"""Dead-letter notices: what a consumer gave up on, and why."""

from __future__ import annotations

from pydantic import Field

from vasini_contracts.catalog import EventData, event


@event("ai.vasini.dlq.v1")
class DeadLettered(EventData):
    """A stream entry a consumer group could not process; the entry itself is kept in the
    consumer's `dead_letter` table and can be replayed from there."""

    consumer: str = Field(description="Consumer group (service) that gave up.")
    stream: str = Field(description="Stream the entry was read from.")
    entry_id: str = Field(description="Redis stream entry id of the original.")
    original_event_id: str | None = Field(default=None, description="CloudEvent id, if readable.")
    original_type: str | None = Field(default=None, description="CloudEvent type, if readable.")
    reason_code: str = Field(description="Stable reason: NOT_JSON, UNKNOWN_TYPE, ...")
    error: str = Field(description="Human-readable error text of the last attempt.")
    deliveries: int = Field(ge=1, description="How many times the entry was delivered.")
