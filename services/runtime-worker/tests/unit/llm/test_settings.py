"""LLM settings parsing and the start-up checks of build_router."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from vasini_runtime_worker.adapters.llm import build_router
from vasini_runtime_worker.adapters.llm.settings import LlmSettings
from vasini_runtime_worker.domain.llm import LlmRequest, Message


def test_defaults_send_every_tier_to_the_scripted_model() -> None:
    settings = LlmSettings()

    assert settings.tiers == {t: ["scripted:answer"] for t in ("tier-1", "tier-2", "tier-3")}
    assert settings.tenant_tiers == {}


def test_chains_parse_from_json_as_the_environment_gives_them() -> None:
    settings = LlmSettings.model_validate_json(
        '{"tiers": {"tier-1": ["anthropic:claude-x", "openai:llama3:8b"]},'
        ' "tenant_tiers": {"acme": ["tier-2"]}, "openai_api_key": "sk-1"}'
    )

    assert settings.tiers["tier-1"] == ["anthropic:claude-x", "openai:llama3:8b"]
    assert settings.tenant_tiers == {"acme": ["tier-2"]}
    assert "sk-1" not in repr(settings)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"tiers": {"tier-9": ["scripted:answer"]}}, "tier-9"),
        ({"tiers": {"tier-1": []}}, "empty model chain"),
        ({"tiers": {"tier-1": ["scripted"]}}, 'not "provider:model"'),
        ({"tiers": {"tier-1": [":answer"]}}, 'not "provider:model"'),
        ({"tenant_tiers": {"acme": ["gold"]}}, "gold"),
        ({"max_retries": -1}, "max_retries"),
        ({"breaker_failures": 0}, "breaker_failures"),
        ({"backoff_base_s": 10, "backoff_max_s": 1}, "backoff_base_s must not exceed"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        LlmSettings.model_validate(values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"tiers": {"tier-1": ["mistral:large"]}}, "unknown LLM provider mistral"),
        ({"tiers": {"tier-1": ["scripted:poetry"]}}, "unknown scripted model poetry"),
        ({"tiers": {"tier-1": ["anthropic:claude-x"]}}, "anthropic_api_key is required"),
        ({"tiers": {"tier-1": ["openai:gpt-x"]}}, "openai_api_key is required"),
    ],
)
def test_build_router_refuses_what_could_not_work(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_router(LlmSettings.model_validate(values))


async def test_the_default_router_answers_offline() -> None:
    router = build_router(LlmSettings())
    request = LlmRequest(
        tenant_id="acme", tier="tier-3", system="# Clerk", messages=(Message("user", "file it"),)
    )

    response = await router.complete(request)

    assert response.text == "I am Clerk. Your task: file it"
    assert (response.provider, response.model, response.attempts) == ("scripted", "answer", 1)


def test_openai_compatible_servers_need_no_key() -> None:
    settings = LlmSettings.model_validate(
        {"tiers": {"tier-1": ["openai:llama3"]}, "openai_base_url": "http://127.0.0.1:1/v1"}
    )

    assert build_router(settings) is not None
