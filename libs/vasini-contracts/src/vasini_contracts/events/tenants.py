"""Tenant data rights (GDPR): export and erasure, fanned out to every service that holds
tenant data. ingress publishes the request; each service answers with its own
completion, and ingress reports the request done when every data-holding service has."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import ServiceName, example

RequestId = Annotated[
    str, Field(min_length=1, max_length=128, description="Id of the data-rights request.")
]
SubjectId = Annotated[
    str | None,
    Field(max_length=200, description="One end user of the tenant; none = the whole tenant."),
]


class _Scoped(EventData):
    """Which data a request covers: the whole tenant (from the envelope) or one subject."""

    request_id: RequestId
    scope: Literal["subject", "tenant"] = Field(
        default="tenant", description="One end user's data (needs subject_id), or everything."
    )
    subject_id: SubjectId = None
    requested_by: str | None = Field(
        default=None, max_length=200, description="API key id of the requester."
    )

    @model_validator(mode="after")
    def _subject_matches_scope(self) -> Self:
        if (self.scope == "subject") != (self.subject_id is not None):
            raise ValueError("subject_id is required for scope 'subject' and only for it")
        return self


@event("ai.vasini.tenant.export.requested.v1")
class TenantExportRequested(_Scoped):
    """Export the tenant's data (or one end user's) held by every service."""

    model_config = example(request_id="dsr-12", scope="subject", subject_id="user-881")


@event("ai.vasini.tenant.export.completed.v1")
class TenantExportCompleted(EventData):
    """One service finished its part of an export."""

    model_config = example(
        request_id="dsr-12",
        service="memory",
        uri="file:///exports/dsr-12/memory.jsonl",
        records=214,
        sha256="cd" * 32,
    )

    request_id: RequestId
    service: ServiceName = Field(description="The service whose part this is.")
    uri: str = Field(min_length=1, max_length=2_000, description="Where this service's part is.")
    records: int = Field(ge=0, description="Records exported.")
    sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="Digest of the exported file."
    )


@event("ai.vasini.tenant.erasure.requested.v1")
class TenantErasureRequested(_Scoped):
    """Erase the tenant's data (or one end user's) from every service."""

    model_config = example(request_id="dsr-13", scope="subject", subject_id="user-881")


@event("ai.vasini.tenant.erasure.completed.v1")
class TenantErasureCompleted(EventData):
    """One service erased its part; what remains is only what the law requires to keep
    (e.g. billing records), listed in `retained`."""

    model_config = example(request_id="dsr-13", service="memory", records=214)

    request_id: RequestId
    service: ServiceName = Field(description="The service that erased its part.")
    records: int = Field(ge=0, description="Records erased.")
    retained: list[str] = Field(
        default_factory=list, description="Kinds of records kept by obligation, if any."
    )
