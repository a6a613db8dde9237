"""The scripted offline model: deterministic answers, schema-valid tool calls."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from vasini_runtime_worker.adapters.llm.schema_example import example_for
from vasini_runtime_worker.adapters.llm.scripted import ScriptedProvider
from vasini_runtime_worker.domain.llm import (
    LlmRequest,
    Message,
    ProviderError,
    ToolCall,
    ToolSpec,
)

SCHEMAS: list[dict[str, Any]] = [
    {"type": "object", "properties": {}},
    {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "days": {"type": "integer", "minimum": 3, "maximum": 10},
            "metric": {"type": "boolean"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "optional": {"type": "string"},
        },
        "required": ["city", "days", "metric", "unit"],
        "additionalProperties": False,
    },
    {
        "type": "object",
        "properties": {
            "filter": {
                "type": "object",
                "properties": {
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
                    "since": {"type": "string", "format": "date"},
                    "score": {"type": "number", "exclusiveMinimum": 5},
                },
                "required": ["tags", "since", "score"],
            },
            "limit": {"type": "integer", "default": 20},
            "query": {"type": "string", "examples": ["quarterly report"], "minLength": 3},
            "code": {"type": "string", "maxLength": 3},
            "note": {"type": ["string", "null"]},
            "choice": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
        },
        "required": ["filter", "limit", "query", "code", "note", "choice"],
    },
]


def make_request(*messages: Message, tools: tuple[ToolSpec, ...] = ()) -> LlmRequest:
    return LlmRequest(
        tenant_id="acme",
        tier="tier-1",
        system="# Tax Advisor\nYou help with taxes.",
        messages=messages,
        tools=tools,
    )


@pytest.mark.parametrize("schema", SCHEMAS)
def test_examples_satisfy_their_schema(schema: dict[str, Any]) -> None:
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(example_for(schema)))

    assert errors == []


def test_examples_prefer_what_the_schema_suggests() -> None:
    value = example_for(SCHEMAS[2])

    assert value["limit"] == 20
    assert value["query"] == "quarterly report"
    assert value["filter"]["tags"] == ["example", "example"]


async def test_answer_is_deterministic_and_streamed() -> None:
    provider = ScriptedProvider()
    request = make_request(Message("user", "Summarise my return"))
    deltas: list[str] = []

    async def sink(text: str) -> None:
        deltas.append(text)

    first = await provider.complete("answer", request, sink)
    second = await provider.complete("answer", request, None)

    assert first.text == "I am Tax Advisor. Your task: Summarise my return"
    assert first == second
    assert len(deltas) > 1
    assert "".join(deltas) == first.text
    assert first.stop_reason == "end_turn"
    assert first.usage.input_tokens == 10  # 7 system words + 3 message words
    assert first.usage.output_tokens == len(first.text.split())


async def test_tools_model_calls_each_tool_once_with_valid_arguments() -> None:
    tools = tuple(
        ToolSpec(name=f"tool_{n}", description="", parameters=schema)
        for n, schema in enumerate(SCHEMAS)
    )

    response = await ScriptedProvider().complete(
        "tools", make_request(Message("user", "go"), tools=tools), None
    )

    assert response.stop_reason == "tool_use"
    assert [c.id for c in response.tool_calls] == ["call_1", "call_2", "call_3"]
    assert [c.name for c in response.tool_calls] == ["tool_0", "tool_1", "tool_2"]
    for call, schema in zip(response.tool_calls, SCHEMAS, strict=True):
        jsonschema.validate(call.arguments, schema)


async def test_tools_model_summarises_the_results_once_they_are_in() -> None:
    tool = ToolSpec(name="lookup", description="", parameters=SCHEMAS[0])
    request = make_request(
        Message("user", "go"),
        Message("assistant", tool_calls=(ToolCall("call_1", "lookup", {}),)),
        Message("tool", "42 rows", tool_call_id="call_1"),
        tools=(tool,),
    )

    response = await ScriptedProvider().complete("tools", request, None)

    assert response.tool_calls == ()
    assert response.text == "Tool results: lookup returned: 42 rows"
    assert response.stop_reason == "end_turn"


async def test_tools_model_calls_again_for_a_new_user_message() -> None:
    tool = ToolSpec(name="lookup", description="", parameters=SCHEMAS[0])
    request = make_request(
        Message("user", "go"),
        Message("assistant", tool_calls=(ToolCall("call_1", "lookup", {}),)),
        Message("tool", "boom", tool_call_id="call_1", is_error=True),
        Message("assistant", "Tool results: lookup failed: boom"),
        Message("user", "again"),
        tools=(tool,),
    )

    response = await ScriptedProvider().complete("tools", request, None)

    assert [c.name for c in response.tool_calls] == ["lookup"]


async def test_fail_model_is_a_retryable_unavailable_server() -> None:
    with pytest.raises(ProviderError) as failed:
        await ScriptedProvider().complete("fail", make_request(Message("user", "x")), None)

    assert failed.value.retryable
    assert failed.value.status == 503
