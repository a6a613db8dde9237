"""Tenant data rights: export and erasure, fanned out to every service that holds data."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event

REQUEST_ID = Field(min_length=1, max_length=128)


@event("ai.vasini.tenant.export.requested.v1")
class TenantExportRequested(EventData):
    request_id: str = REQUEST_ID
    subject_id: str | None = Field(default=None, max_length=200, description="One end user.")


@event("ai.vasini.tenant.export.completed.v1")
class TenantExportCompleted(EventData):
    request_id: str = REQUEST_ID
    service: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    uri: str = Field(max_length=2_000, description="Where this service's part is.")
    records: int = Field(ge=0)


@event("ai.vasini.tenant.erasure.requested.v1")
class TenantErasureRequested(EventData):
    request_id: str = REQUEST_ID
    subject_id: str | None = Field(default=None, max_length=200, description="None = tenant.")
    scope: Literal["subject", "tenant"]


@event("ai.vasini.tenant.erasure.completed.v1")
class TenantErasureCompleted(EventData):
    request_id: str = REQUEST_ID
    service: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    records: int = Field(ge=0)
