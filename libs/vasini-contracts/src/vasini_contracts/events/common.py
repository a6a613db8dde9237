"""Value types shared by several events (not events themselves)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RUN_ID = Field(min_length=1, max_length=64, description="The run this event belongs to.")
Tier = Literal["tier-1", "tier-2", "tier-3"]
RiskLevel = Literal["low", "medium", "high", "critical"]


class Value(BaseModel):
    """Base of nested values: unknown fields ignored, like event data."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Usage(Value):
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    cache_read_tokens: int = Field(default=0, ge=0)
    cache_write_tokens: int = Field(default=0, ge=0)


class ErrorInfo(Value):
    code: str = Field(
        pattern=r"^[A-Z][A-Z0-9_]*$", description="Stable, e.g. PACK_NOT_FOUND, INPUT_BLOCKED."
    )
    message: str = Field(max_length=4_000, description="Plain-language explanation.")
    retryable: bool = Field(default=False, description="Whether the client may retry as is.")


class PackRef(Value):
    """A resolved, immutable pack version."""

    pack_id: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=64)
    digest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
