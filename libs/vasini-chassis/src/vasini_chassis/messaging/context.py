"""What a handler gets besides the event's data: the transaction and a way to emit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_contracts import CloudEvent, EventData, new_event, new_traceparent


def child_traceparent(parent: str | None) -> str:
    """Same trace, new span: the emitted event is a child of the handled one."""
    if parent is None:
        return new_traceparent()
    version, trace_id, _, flags = parent.split("-")
    return f"{version}-{trace_id}-{uuid.uuid4().hex[:16]}-{flags}"


@dataclass
class HandlerContext:
    """`conn` is the consumer's open transaction, already scoped to the event's tenant.
    Events passed to `emit` go to the outbox in that same transaction."""

    conn: AsyncConnection
    event: CloudEvent
    deliveries: int
    service: str
    emitted: list[CloudEvent] = field(default_factory=list)

    @property
    def tenant_id(self) -> str:
        return self.event.tenantid

    def emit(self, data: EventData, *, subject: str | None = None) -> CloudEvent:
        child = new_event(
            data,
            source=f"/vasini/{self.service}",
            tenant_id=self.event.tenantid,
            subject=subject if subject is not None else self.event.subject,
            correlation_id=self.event.correlationid,
            traceparent=child_traceparent(self.event.traceparent),
        )
        self.emitted.append(child)
        return child
