"""Dead-letter notices: what a consumer gave up on, and why."""

from __future__ import annotations

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import example


@event("ai.vasini.dlq.v1")
class DeadLettered(EventData):
    """A stream entry a consumer group could not process; the entry itself is kept in the
    consumer's `dead_letter` table and can be replayed from there (`vasini dlq replay`)."""

    model_config = example(
        consumer="composer",
        stream="ai.vasini.run.requested.v1",
        entry_id="1764064800000-0",
        original_event_id="8c1f6a53-3a8e-4f57-9d0b-6f0c2b0b7d11",
        original_type="ai.vasini.run.requested.v1",
        reason_code="INVALID_DATA",
        error="data of ai.vasini.run.requested.v1 is invalid: run_id: Field required",
        deliveries=1,
    )

    consumer: str = Field(description="Consumer group (service) that gave up.")
    stream: str = Field(description="Stream the entry was read from.")
    entry_id: str = Field(description="Redis stream entry id of the original.")
    original_event_id: str | None = Field(default=None, description="CloudEvent id, if readable.")
    original_type: str | None = Field(default=None, description="CloudEvent type, if readable.")
    reason_code: str = Field(
        description="Stable reason: MISSING_FIELD, NOT_JSON, NOT_A_CLOUDEVENT, TOO_LARGE, "
        "UNKNOWN_TYPE, INVALID_DATA, NO_HANDLER, MAX_DELIVERIES or a handler's own code."
    )
    error: str = Field(description="Human-readable error text of the last attempt.")
    deliveries: int = Field(ge=1, description="How many times the entry was delivered.")
