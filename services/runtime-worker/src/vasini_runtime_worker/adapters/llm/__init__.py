"""The LLM router and its providers (anthropic, openai, scripted); see router.py."""

from __future__ import annotations

from vasini_runtime_worker.adapters.llm import scripted
from vasini_runtime_worker.adapters.llm.anthropic_provider import AnthropicProvider
from vasini_runtime_worker.adapters.llm.openai_provider import OpenAiProvider
from vasini_runtime_worker.adapters.llm.router import LlmRouter
from vasini_runtime_worker.adapters.llm.settings import LlmSettings, split_target
from vasini_runtime_worker.domain.llm import LlmProvider

__all__ = ["LlmRouter", "LlmSettings", "build_router"]

PROVIDERS = ("anthropic", "openai", "scripted")

# Local OpenAI-compatible servers (Ollama, vLLM) ignore the key, but the SDK insists on one.
_NO_KEY = "not-needed"


def build_router(settings: LlmSettings) -> LlmRouter:
    """The router with the providers the settings' tiers use; a misconfiguration (unknown
    provider or scripted model, missing key) fails here, at start-up, not on a run."""
    used = {split_target(target) for target in settings.targets()}
    names = {provider for provider, _ in used}
    unknown = sorted(names - set(PROVIDERS))
    if unknown:
        raise ValueError(
            f"unknown LLM provider {', '.join(unknown)} in llm.tiers "
            f"(known: {', '.join(PROVIDERS)})"
        )
    bad_scripted = sorted(m for p, m in used if p == "scripted" and m not in scripted.MODELS)
    if bad_scripted:
        raise ValueError(
            f"unknown scripted model {', '.join(bad_scripted)} "
            f"(known: {', '.join(sorted(scripted.MODELS))})"
        )
    providers: dict[str, LlmProvider] = {}
    if "scripted" in names:
        providers["scripted"] = scripted.ScriptedProvider()
    if "anthropic" in names:
        if settings.anthropic_api_key is None:
            raise ValueError("llm.anthropic_api_key is required: a tier uses anthropic")
        providers["anthropic"] = AnthropicProvider.connect(
            settings.anthropic_api_key.get_secret_value(),
            settings.anthropic_base_url,
            settings.request_timeout_s,
        )
    if "openai" in names:
        key = settings.openai_api_key
        if key is None and settings.openai_base_url is None:
            raise ValueError(
                "llm.openai_api_key is required: a tier uses openai with no openai_base_url"
            )
        providers["openai"] = OpenAiProvider.connect(
            key.get_secret_value() if key is not None else _NO_KEY,
            settings.openai_base_url,
            settings.request_timeout_s,
        )
    return LlmRouter(settings, providers)
