"""The pack registry: immutable, content-addressed, signed pack versions."""

from __future__ import annotations

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import PackRef, example


@event("ai.vasini.pack.published.v1")
class PackPublished(EventData):
    """A new immutable, signed pack version exists (registry); the composer mirrors it.
    `uri` fetches its canonical bundle, whose sha256 is `pack.digest`."""

    model_config = example(
        pack={
            "pack_id": "senior-python-dev",
            "version": "1.4.0",
            "digest": "sha256:" + "ab" * 32,
        },
        uri="registry://packs/senior-python-dev/1.4.0",
        size_bytes=48_213,
        signature="MEUCIQDx...",
        key_id="registry-2026",
        published_by="key_3f9a",
        extends=["_shared/base-soul"],
    )

    pack: PackRef = Field(description="The published version and its digest.")
    uri: str = Field(
        min_length=1, max_length=2_000, description="Where the canonical bundle can be fetched."
    )
    size_bytes: int = Field(ge=0, description="Size of the canonical bundle.")
    signature: str = Field(
        min_length=1, max_length=2_000, description="Signature of the digest (base64)."
    )
    key_id: str = Field(
        min_length=1, max_length=128, description="Id of the registry key that signed it."
    )
    published_by: str = Field(max_length=200, description="API key id of the publisher.")
    extends: list[str] = Field(
        default_factory=list, description="Shared layers the pack extends, resolved at publish."
    )
