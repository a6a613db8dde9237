"""Run lifecycle events: a client's task travelling through the pipeline."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from vasini_contracts.catalog import EventData, event


@event("ai.vasini.run.requested.v1")
class RunRequested(EventData):
    """A client asked a pack to perform a task (published by ingress)."""

    run_id: str = Field(min_length=1, max_length=64)
    pack: str = Field(min_length=1, max_length=200, description="id, id@version or id:channel")
    input: str = Field(max_length=1_000_000)
    session_id: str | None = Field(default=None, max_length=128)
    metadata: dict[str, Any] = Field(default_factory=dict)
