"""Which models serve which tier, and how hard the router tries them.

Embedded in the service's settings (`VASINI_RUNTIME_WORKER_LLM__TIERS='{"tier-1":
["anthropic:claude-sonnet-4-5", "openai:gpt-4.1"]}'`). A chain entry is
"provider:model"; the model part may itself contain colons (Ollama's "llama3:8b").
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from vasini_runtime_worker.domain.llm import Tier

TIERS: tuple[Tier, ...] = ("tier-1", "tier-2", "tier-3")


def _default_tiers() -> dict[Tier, list[str]]:
    return {tier: ["scripted:answer"] for tier in TIERS}


def split_target(target: str) -> tuple[str, str]:
    """ "provider:model" → (provider, model)."""
    provider, _, model = target.partition(":")
    return provider, model


class LlmSettings(BaseModel):
    tiers: dict[Tier, list[str]] = Field(
        default_factory=_default_tiers,
        description='Per tier, the ordered fallback chain of "provider:model".',
    )
    tenant_tiers: dict[str, list[Tier]] = Field(
        default_factory=dict,
        description="Tiers each listed tenant may use; unlisted tenants may use all.",
    )
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = Field(
        default=None, description="Any OpenAI-compatible endpoint (Ollama, vLLM)."
    )
    max_retries: int = Field(default=2, ge=0, description="Retries per model, after the call.")
    backoff_base_s: float = Field(default=0.5, gt=0)
    backoff_max_s: float = Field(
        default=8.0, gt=0, description="Longest wait before a retry, Retry-After included."
    )
    request_timeout_s: float = Field(default=60.0, gt=0)
    breaker_failures: int = Field(default=5, ge=1, description="Consecutive failures to open.")
    breaker_reset_s: float = Field(default=30.0, gt=0, description="Open this long, then try.")

    @field_validator("tiers")
    @classmethod
    def _chains_are_targets(cls, tiers: dict[Tier, list[str]]) -> dict[Tier, list[str]]:
        for tier, chain in tiers.items():
            if not chain:
                raise ValueError(f"{tier} has an empty model chain")
            for target in chain:
                provider, model = split_target(target)
                if not provider or not model:
                    raise ValueError(f'{tier}: "{target}" is not "provider:model"')
        return tiers

    @model_validator(mode="after")
    def _backoff_bounds(self) -> Self:
        if self.backoff_base_s > self.backoff_max_s:
            raise ValueError("backoff_base_s must not exceed backoff_max_s")
        return self

    def targets(self) -> set[str]:
        """Every "provider:model" some tier uses."""
        return {target for chain in self.tiers.values() for target in chain}
