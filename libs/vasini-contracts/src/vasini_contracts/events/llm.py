"""Model calls, for accounting (finops) and quality tracking (eval)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import RUN_ID, Tier, Usage


@event("ai.vasini.llm.call.completed.v1")
class LlmCallCompleted(EventData):
    run_id: str = RUN_ID
    step: int = Field(ge=0)
    provider: Literal["anthropic", "openai", "scripted"]
    model: str = Field(min_length=1, max_length=200)
    tier: Tier
    usage: Usage
    latency_ms: int = Field(ge=0)
    cost_usd: float = Field(ge=0, description="At the price table of the call's time.")
    outcome: Literal["ok", "error", "fallback"]
    attempts: int = Field(default=1, ge=1)
