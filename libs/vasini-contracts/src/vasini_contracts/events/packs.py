"""The pack registry: published versions and release channels."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import PackRef


@event("ai.vasini.pack.published.v1")
class PackPublished(EventData):
    """An immutable, signed pack version exists; `uri` fetches its canonical bundle."""

    pack: PackRef
    signature: str = Field(min_length=1, max_length=2_000)
    uri: str = Field(min_length=1, max_length=2_000)
    published_by: str = Field(max_length=200)


@event("ai.vasini.release.changed.v1")
class ReleaseChanged(EventData):
    """A channel now points at another version (promotion or rollback)."""

    pack_id: str = Field(min_length=1, max_length=200)
    channel: str = Field(pattern=r"^[a-z][a-z0-9-]{0,62}$")
    version: str = Field(min_length=1, max_length=64)
    previous_version: str | None = Field(default=None, max_length=64)
    stage: Literal["draft", "validated", "staged", "prod"]
    reason: Literal["promotion", "rollback", "manual"]
