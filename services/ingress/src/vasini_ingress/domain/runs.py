"""Runs as clients see them, and how events move a run's visible state."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TERMINAL_STATES = frozenset({"done", "failed", "cancelled", "dead_letter"})


def storable(value: Any) -> Any:
    """Refuse text PostgreSQL cannot store: NUL characters and lone surrogates (JSON
    allows both; text and jsonb columns do not). Checks nested lists and mappings."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL (\\u0000) characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            storable(key)
            storable(item)
    elif isinstance(value, list):
        for item in value:
            storable(item)
    return value


class RunCreate(BaseModel):
    """Body of `POST /v1/runs`."""

    model_config = ConfigDict(extra="forbid")

    pack: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[a-z][a-z0-9-]*([@:][A-Za-z0-9.+-]+)?$",
        description="`<pack>`, `<pack>@<version>` or `<pack>:<channel>`.",
        examples=["senior-python-dev", "senior-python-dev@1.0.0"],
    )
    input: str = Field(min_length=1, max_length=200_000, description="The task for the agent.")
    session_id: str | None = Field(default=None, min_length=1, max_length=128)
    metadata: dict[str, Any] = Field(default_factory=dict, description="Your own labels.")

    _storable = field_validator("input", "session_id", "metadata")(storable)

    def fingerprint(self) -> str:
        """Same body, same fingerprint: what idempotent retries are compared by."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class RunLinks(BaseModel):
    self: str
    events: str
    cancel: str


class RunAccepted(BaseModel):
    """Answer of `POST /v1/runs` (202)."""

    run_id: str
    state: str
    links: RunLinks


class UsageView(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0


class ErrorView(BaseModel):
    code: str
    message: str
    stage: str | None = None


class RunView(BaseModel):
    """Answer of `GET /v1/runs/{id}`."""

    run_id: str
    pack: str
    pack_version: str | None = None
    state: str
    input: str
    session_id: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    output: str | None = None
    usage: UsageView | None = None
    steps: int = 0
    error: ErrorView | None = None
    created_at: str
    updated_at: str
    links: RunLinks


class TenantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)

    _storable = field_validator("name")(storable)


class TenantCreated(BaseModel):
    tenant_id: str
    name: str
    api_key: str = Field(description="Shown once; store it safely.")


class CancelAccepted(BaseModel):
    run_id: str
    state: Literal["cancelling"] = "cancelling"


def links_of(run_id: str) -> RunLinks:
    base = f"/v1/runs/{run_id}"
    return RunLinks(self=base, events=f"{base}/events", cancel=f"{base}/cancel")
