"""The openai provider through the official SDK and the router, against a fake
OpenAI-compatible server speaking the real wire format."""

from __future__ import annotations

from typing import Any

import pytest

from vasini_runtime_worker.adapters.llm import build_router
from vasini_runtime_worker.adapters.llm.anthropic_provider import AnthropicProvider
from vasini_runtime_worker.adapters.llm.openai_provider import OpenAiProvider
from vasini_runtime_worker.adapters.llm.router import LlmRouter
from vasini_runtime_worker.adapters.llm.settings import LlmSettings
from vasini_runtime_worker.adapters.llm.testing import (
    BrokenStream,
    Failure,
    FakeAnthropic,
    FakeOpenAI,
    Reply,
)
from vasini_runtime_worker.domain.llm import (
    LlmPermanentError,
    LlmRequest,
    LlmTransientError,
    Message,
    ToolCall,
    ToolSpec,
)

SEARCH = ToolSpec(
    name="search",
    description="Search the docs.",
    parameters={"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
)


def ask(*messages: Message, tools: tuple[ToolSpec, ...] = ()) -> LlmRequest:
    return LlmRequest(
        tenant_id="acme",
        tier="tier-2",
        system="You are terse.",
        messages=messages or (Message("user", "Hi"),),
        tools=tools,
        max_output_tokens=128,
        temperature=0.3,
    )


def router(fake: FakeOpenAI, clock: Any, **overrides: Any) -> LlmRouter:
    settings = LlmSettings.model_validate(
        {"tiers": {"tier-2": ["openai:gpt-test"]}, "max_retries": 2, **overrides}
    )
    provider = OpenAiProvider.connect("test-key", fake.url, timeout_s=10)
    return LlmRouter(
        settings, {"openai": provider}, clock=clock, sleep=clock.sleep, jitter=lambda: 0.0
    )


async def test_a_streamed_answer_arrives_whole_and_in_order(fake_openai: FakeOpenAI) -> None:
    fake_openai.script([Reply("Streaming works fine", input_tokens=9, output_tokens=4)])
    llm = build_router(
        LlmSettings.model_validate(
            {
                "tiers": {"tier-2": ["openai:llama3:8b"]},
                "openai_base_url": fake_openai.url,  # a compatible server: no key needed
                "request_timeout_s": 10,
            }
        )
    )
    deltas: list[str] = []

    async def sink(text: str) -> None:
        deltas.append(text)

    response = await llm.complete(ask(), sink)

    assert response.text == "Streaming works fine"
    assert deltas == Reply("Streaming works fine").pieces()
    assert (response.usage.input_tokens, response.usage.output_tokens) == (9, 4)
    assert (response.provider, response.model, response.stop_reason) == (
        "openai",
        "llama3:8b",
        "end_turn",
    )
    sent = fake_openai.received[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.body["model"] == "llama3:8b"
    assert sent.body["stream"] is True
    assert sent.body["stream_options"] == {"include_usage": True}
    assert sent.body["max_completion_tokens"] == 128
    assert sent.body["temperature"] == 0.3
    assert sent.body["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Hi"},
    ]


async def test_a_tool_call_round_trip(fake_openai: FakeOpenAI, clock: Any) -> None:
    calls = (
        ToolCall("call_a", "search", {"q": "refunds", "limit": 3}),
        ToolCall("call_b", "search", {"q": "returns"}),
    )
    fake_openai.script([Reply(tool_calls=calls), Reply("Refunds take 5 days.")])
    llm = router(fake_openai, clock)
    question = Message("user", "How do refunds work?")

    first = await llm.complete(ask(question, tools=(SEARCH,)))

    assert first.stop_reason == "tool_use"
    assert first.tool_calls == calls
    assert fake_openai.received[0].body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "search",
                "description": "Search the docs.",
                "parameters": SEARCH.parameters,
            },
        }
    ]

    second = await llm.complete(
        ask(
            question,
            Message("assistant", tool_calls=first.tool_calls),
            Message("tool", "5 days", tool_call_id="call_a"),
            Message("tool", "timeout", tool_call_id="call_b", is_error=True),
            tools=(SEARCH,),
        )
    )

    assert second.text == "Refunds take 5 days."
    sent = fake_openai.received[1].body["messages"]
    assert sent[2]["role"] == "assistant"
    assert [c["id"] for c in sent[2]["tool_calls"]] == ["call_a", "call_b"]
    assert sent[3:] == [
        {"role": "tool", "tool_call_id": "call_a", "content": "5 days"},
        {"role": "tool", "tool_call_id": "call_b", "content": "Error: timeout"},
    ]


async def test_429_is_retried_after_the_servers_retry_after(
    fake_openai: FakeOpenAI, clock: Any
) -> None:
    fake_openai.script([Failure(429, retry_after="1.5"), Reply("ok now")])

    response = await router(fake_openai, clock).complete(ask())

    assert response.text == "ok now"
    assert response.attempts == 2
    assert clock.sleeps == [1.5]


async def test_a_rejected_request_is_not_retried(fake_openai: FakeOpenAI, clock: Any) -> None:
    fake_openai.script([Failure(400, message="bad schema")])

    with pytest.raises(LlmPermanentError, match="bad schema") as rejected:
        await router(fake_openai, clock).complete(ask())

    assert rejected.value.code == "LLM_REQUEST_REJECTED"
    assert len(fake_openai.received) == 1


async def test_a_server_error_falls_back_across_providers(
    fake_anthropic: FakeAnthropic, fake_openai: FakeOpenAI, clock: Any
) -> None:
    fake_anthropic.script([Failure(500)])
    fake_openai.script([Reply("from openai")])
    settings = LlmSettings.model_validate(
        {
            "tiers": {"tier-2": ["anthropic:claude-test", "openai:gpt-test"]},
            "max_retries": 0,
        }
    )
    llm = LlmRouter(
        settings,
        {
            "anthropic": AnthropicProvider.connect("k", fake_anthropic.url, timeout_s=10),
            "openai": OpenAiProvider.connect("k", fake_openai.url, timeout_s=10),
        },
        clock=clock,
        sleep=clock.sleep,
    )

    response = await llm.complete(ask())

    assert (response.provider, response.text, response.attempts) == ("openai", "from openai", 2)
    assert len(fake_anthropic.received) == 1
    assert llm.breaker("anthropic:claude-test").state == "closed"  # 1 failure of 5


async def test_the_breaker_half_opens_against_a_failing_server(clock: Any) -> None:
    with FakeOpenAI(default=Failure(502)) as fake:
        llm = router(fake, clock, max_retries=1, breaker_failures=1, breaker_reset_s=10)

        with pytest.raises(LlmTransientError):
            await llm.complete(ask())
        assert len(fake.received) == 2  # one call and one retry, then open
        assert llm.breaker("openai:gpt-test").state == "open"

        clock.now += 10
        with pytest.raises(LlmTransientError):
            await llm.complete(ask())
        assert len(fake.received) == 3  # the half-open trial: a single call
        assert llm.breaker("openai:gpt-test").state == "open"


async def test_a_stream_dropped_half_way_is_reported_not_retried(
    fake_openai: FakeOpenAI, clock: Any
) -> None:
    fake_openai.script([BrokenStream("Par")])
    deltas: list[str] = []

    async def sink(text: str) -> None:
        deltas.append(text)

    with pytest.raises(LlmTransientError) as broken:
        await router(fake_openai, clock).complete(ask(), sink)

    assert broken.value.code == "LLM_STREAM_INTERRUPTED"
    assert deltas == ["Par"]
    assert len(fake_openai.received) == 1
