"""Model calls, for accounting (finops) and quality tracking (eval)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import (
    ErrorCode,
    Money,
    PackId,
    PackVersion,
    RunId,
    Tier,
    Usage,
    example,
)


@event("ai.vasini.llm.call.completed.v1")
class LlmCallCompleted(EventData):
    """One call through the LLM router ended (answered, failed, or fell back to the next
    model of the chain). finops bills it per tenant, pack and model."""

    model_config = example(
        run_id="run-42",
        pack_id="senior-python-dev",
        pack_version="1.4.0",
        step=1,
        provider="anthropic",
        model="claude-sonnet-4-5",
        tier="tier-2",
        usage={"input_tokens": 1_200, "output_tokens": 230},
        latency_ms=2_140,
        cost_usd=0.00705,
        outcome="ok",
        stop_reason="tool_use",
    )

    run_id: RunId
    pack_id: PackId
    pack_version: PackVersion
    step: int = Field(ge=0, description="Agent-loop step the call belongs to.")
    provider: Literal["anthropic", "openai", "scripted"] = Field(
        description="Provider adapter that made the call (openai = any compatible endpoint)."
    )
    model: str = Field(min_length=1, max_length=200, description="Model name sent to the API.")
    tier: Tier = Field(description="Router tier the model was chosen for.")
    usage: Usage = Field(description="Tokens as the provider reported them.")
    latency_ms: int = Field(ge=0, description="Wall-clock time of the call, all retries.")
    cost_usd: Money = Field(description="Cost at the price table of the call's time.")
    outcome: Literal["ok", "error", "fallback"] = Field(
        description="ok; error (the run sees the failure); fallback (the next model is tried)."
    )
    attempts: int = Field(default=1, ge=1, description="Attempts including retries.")
    stop_reason: Literal["end_turn", "tool_use", "max_tokens", "stop_sequence"] | None = Field(
        default=None, description="Why the model stopped, when it answered."
    )
    error_code: ErrorCode | None = Field(default=None, description="Set when outcome is not ok.")
