"""The anthropic provider through the official SDK and the router, against a fake
Anthropic server speaking the real wire format."""

from __future__ import annotations

from typing import Any

import pytest

from vasini_runtime_worker.adapters.llm import build_router
from vasini_runtime_worker.adapters.llm.anthropic_provider import AnthropicProvider
from vasini_runtime_worker.adapters.llm.router import LlmRouter
from vasini_runtime_worker.adapters.llm.settings import LlmSettings
from vasini_runtime_worker.adapters.llm.testing import (
    BrokenStream,
    Failure,
    FakeAnthropic,
    Reply,
)
from vasini_runtime_worker.domain.llm import (
    LlmRequest,
    LlmTransientError,
    Message,
    ToolCall,
    ToolSpec,
)

WEATHER = ToolSpec(
    name="weather",
    description="Weather for a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def ask(*messages: Message, tools: tuple[ToolSpec, ...] = ()) -> LlmRequest:
    return LlmRequest(
        tenant_id="acme",
        tier="tier-1",
        system="You are terse.",
        messages=messages or (Message("user", "Hi"),),
        tools=tools,
        max_output_tokens=256,
        temperature=0.2,
    )


def router(fake: FakeAnthropic, clock: Any, *chain: str, **overrides: Any) -> LlmRouter:
    settings = LlmSettings.model_validate(
        {
            "tiers": {"tier-1": list(chain) or ["anthropic:claude-test"]},
            "max_retries": 2,
            **overrides,
        }
    )
    provider = AnthropicProvider.connect("test-key", fake.url, timeout_s=10)
    return LlmRouter(
        settings, {"anthropic": provider}, clock=clock, sleep=clock.sleep, jitter=lambda: 0.0
    )


async def test_a_streamed_answer_arrives_whole_and_in_order(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.script([Reply("Hello from the fake model", input_tokens=12, output_tokens=7)])
    llm = build_router(
        LlmSettings.model_validate(
            {
                "tiers": {"tier-1": ["anthropic:claude-test"]},
                "anthropic_api_key": "test-key",
                "anthropic_base_url": fake_anthropic.url,
                "request_timeout_s": 10,
            }
        )
    )
    deltas: list[str] = []

    async def sink(text: str) -> None:
        deltas.append(text)

    response = await llm.complete(ask(), sink)

    assert response.text == "Hello from the fake model"
    assert deltas == Reply("Hello from the fake model").pieces()
    assert (response.usage.input_tokens, response.usage.output_tokens) == (12, 7)
    assert (response.provider, response.model, response.stop_reason) == (
        "anthropic",
        "claude-test",
        "end_turn",
    )
    sent = fake_anthropic.received[0]
    assert sent.path == "/v1/messages"
    assert sent.body["stream"] is True
    assert sent.body["system"] == "You are terse."
    assert sent.body["max_tokens"] == 256
    assert sent.body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}]
    assert "temperature" not in sent.body


async def test_a_tool_call_round_trip(fake_anthropic: FakeAnthropic, clock: Any) -> None:
    call = ToolCall("toolu_01", "weather", {"city": "Oslo", "days": [1, 2]})
    fake_anthropic.script([Reply("Let me check.", tool_calls=(call,)), Reply("Rain in Oslo.")])
    llm = router(fake_anthropic, clock)
    question = Message("user", "Weather in Oslo?")

    first = await llm.complete(ask(question, tools=(WEATHER,)))

    assert first.stop_reason == "tool_use"
    assert first.tool_calls == (call,)
    assert first.text == "Let me check."
    assert fake_anthropic.received[0].body["tools"] == [
        {
            "name": "weather",
            "description": "Weather for a city.",
            "input_schema": WEATHER.parameters,
        }
    ]

    second = await llm.complete(
        ask(
            question,
            Message("assistant", first.text, tool_calls=first.tool_calls),
            Message("tool", "rain", tool_call_id="toolu_01"),
            tools=(WEATHER,),
        )
    )

    assert second.text == "Rain in Oslo."
    assert fake_anthropic.received[1].body["messages"][1:] == [
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me check."},
                {"type": "tool_use", "id": "toolu_01", "name": "weather", "input": call.arguments},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_01",
                    "content": "rain",
                    "is_error": False,
                },
            ],
        },
    ]


async def test_429_is_retried_after_the_servers_retry_after(
    fake_anthropic: FakeAnthropic, clock: Any
) -> None:
    fake_anthropic.script([Failure(429, retry_after="2"), Reply("finally")])

    response = await router(fake_anthropic, clock).complete(ask())

    assert response.text == "finally"
    assert response.attempts == 2
    assert clock.sleeps == [2.0]
    assert len(fake_anthropic.received) == 2


async def test_a_server_error_falls_back_to_the_next_model(
    fake_anthropic: FakeAnthropic, clock: Any
) -> None:
    fake_anthropic.script([Failure(500)])

    response = await router(
        fake_anthropic, clock, "anthropic:claude-big", "anthropic:claude-small", max_retries=0
    ).complete(ask())

    assert response.model == "claude-small"
    assert [r.body["model"] for r in fake_anthropic.received] == ["claude-big", "claude-small"]


async def test_the_breaker_stops_calling_a_failing_server_until_its_reset(
    clock: Any,
) -> None:
    with FakeAnthropic(default=Failure(503)) as fake:
        llm = router(fake, clock, max_retries=0, breaker_failures=2, breaker_reset_s=30)

        for _ in range(3):
            with pytest.raises(LlmTransientError) as down:
                await llm.complete(ask())
            assert down.value.code == "LLM_UNAVAILABLE"
        assert len(fake.received) == 2  # the third request found the circuit open
        assert "circuit open" in str(down.value)

        clock.now += 30
        fake.script([Reply("back")])
        response = await llm.complete(ask())

        assert response.text == "back"
        assert len(fake.received) == 3
        assert llm.breaker("anthropic:claude-test").state == "closed"


async def test_a_stream_dropped_half_way_is_not_continued_elsewhere(
    fake_anthropic: FakeAnthropic, clock: Any
) -> None:
    fake_anthropic.script([BrokenStream("Half an ans")])
    deltas: list[str] = []

    async def sink(text: str) -> None:
        deltas.append(text)

    llm = router(fake_anthropic, clock, "anthropic:claude-a", "anthropic:claude-b")
    with pytest.raises(LlmTransientError) as broken:
        await llm.complete(ask(), sink)

    assert broken.value.code == "LLM_STREAM_INTERRUPTED"
    assert deltas == ["Half an ans"]
    assert len(fake_anthropic.received) == 1
