"""The CloudEvent 1.0 envelope every Vasini message travels in (structured JSON mode).

Attributes follow ARCHITECTURE.md §2: `source` is `/vasini/<service>`, `type` is
`ai.vasini.<area>.<event>.v<N>`, and three extensions carry the tenant, the W3C trace
context and the run id that correlates a whole chain of events.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from vasini_contracts.catalog import EventData, event_type_of

SOURCE_PATTERN = r"^/vasini/[a-z][a-z0-9-]*$"
TYPE_PATTERN = r"^ai\.vasini\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.v[0-9]+$"
# W3C trace context: version-traceid-parentid-flags, lowercase hex.
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
TENANT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"


class CloudEvent(BaseModel):
    """A structured-mode CloudEvent. `data` stays a plain mapping here; the catalog
    turns it into the typed model of its `type` (see `catalog.parse_data`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID
    source: str = Field(pattern=SOURCE_PATTERN)
    type: str = Field(pattern=TYPE_PATTERN)
    time: AwareDatetime
    subject: str | None = Field(default=None, max_length=512)
    datacontenttype: Literal["application/json"] = "application/json"
    tenantid: str = Field(pattern=TENANT_PATTERN)
    traceparent: str | None = Field(default=None, pattern=TRACEPARENT_PATTERN)
    correlationid: str | None = Field(default=None, max_length=128)
    data: dict[str, Any]

    @property
    def trace_id(self) -> str | None:
        """The 32-hex trace id inside `traceparent`, for log correlation."""
        return self.traceparent.split("-")[1] if self.traceparent else None


def new_event(
    data: EventData,
    *,
    source: str,
    tenant_id: str,
    subject: str | None = None,
    correlation_id: str | None = None,
    traceparent: str | None = None,
    event_id: uuid.UUID | None = None,
    time: datetime | None = None,
) -> CloudEvent:
    """Wrap a typed event payload in a fresh envelope; the type comes from the catalog."""
    return CloudEvent(
        id=event_id or uuid.uuid4(),
        source=source,
        type=event_type_of(type(data)),
        time=time or datetime.now(UTC),
        subject=subject,
        tenantid=tenant_id,
        traceparent=traceparent,
        correlationid=correlation_id,
        data=data.model_dump(mode="json"),
    )


def new_traceparent() -> str:
    """Start a new W3C trace (sampled) for a chain that has none yet."""
    return f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01"
