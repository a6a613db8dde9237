"""Value types and constrained scalars shared by several events (not events themselves)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RunId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        description="The run this event belongs to; equal to the envelope's `correlationid`.",
    ),
]
CallId = Annotated[
    str,
    Field(min_length=1, max_length=128, description="Unique per tool call within a run."),
]
ToolId = Annotated[
    str,
    Field(min_length=1, max_length=128, description="The tool's id as the pack declares it."),
]
PackId = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,127}$",
        description="Pack id: lowercase letters, digits and dashes, e.g. `senior-python-dev`.",
    ),
]
PackVersion = Annotated[
    str,
    Field(
        pattern=r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$",
        description="An immutable published pack version, e.g. `1.4.0`.",
    ),
]
ServiceName = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9-]{0,62}$",
        description="A Vasini service name, e.g. `policy` (as in the envelope's source).",
    ),
]
ErrorCode = Annotated[
    str,
    Field(
        pattern=r"^[A-Z][A-Z0-9_]{0,63}$",
        description="Stable machine-readable code, e.g. `PACK_NOT_FOUND`.",
    ),
]
Money = Annotated[float, Field(ge=0, description="Amount in US dollars.")]
SessionId = Annotated[
    str | None,
    Field(
        max_length=128,
        description="Conversation the run continues (memory adds its history); none = new.",
    ),
]

Tier = Literal["tier-1", "tier-2", "tier-3"]
"""Model tiers of the LLM router: tier-1 is the most capable (and expensive)."""

RiskLevel = Literal["low", "medium", "high", "critical"]
"""Risk of a tool call as policy rates it; high and critical usually need approval."""


def example(**values: Any) -> ConfigDict:
    """Model config carrying one valid example of the data, shown in the JSON Schema
    (`examples`) and checked by the contract tests."""
    return ConfigDict(json_schema_extra={"examples": [values]})


class Value(BaseModel):
    """Base of nested values: unknown fields ignored, like event data."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Usage(Value):
    """Tokens consumed by model calls (summed over a run where it appears on a run event)."""

    input_tokens: int = Field(ge=0, description="Prompt tokens billed as input.")
    output_tokens: int = Field(ge=0, description="Tokens the model generated.")
    cache_read_tokens: int = Field(default=0, ge=0, description="Input tokens read from cache.")
    cache_write_tokens: int = Field(default=0, ge=0, description="Input tokens written to cache.")


class ErrorInfo(Value):
    """Why something failed, in a form both machines and people can use."""

    code: ErrorCode
    message: str = Field(max_length=4_000, description="Plain-language explanation.")
    retryable: bool = Field(default=False, description="Whether the client may retry as is.")


class PackRef(Value):
    """A resolved, immutable, published pack version."""

    pack_id: PackId
    version: PackVersion
    digest: str = Field(
        pattern=r"^sha256:[0-9a-f]{64}$",
        description="Canonical content digest of the published version.",
    )
