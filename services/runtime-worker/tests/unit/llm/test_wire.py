"""Pure wire helpers: Retry-After parsing, status classification, message mapping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from vasini_runtime_worker.adapters.llm.anthropic_provider import to_anthropic_messages
from vasini_runtime_worker.adapters.llm.errors import parse_retry_after, status_error
from vasini_runtime_worker.adapters.llm.openai_provider import to_openai_messages
from vasini_runtime_worker.domain.llm import Message, ToolCall

CONVERSATION = (
    Message("user", "weather?"),
    Message(
        "assistant",
        "Checking.",
        tool_calls=(
            ToolCall("c1", "weather", {"city": "Oslo"}),
            ToolCall("c2", "weather", {"city": "Rome"}),
        ),
    ),
    Message("tool", "rain", tool_call_id="c1"),
    Message("tool", "no such city", tool_call_id="c2", is_error=True),
)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_is_read_in_seconds(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers) == expected


def test_retry_after_may_be_an_http_date() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)

    parsed = parse_retry_after({"retry-after": when})

    assert parsed is not None
    assert 100 < parsed <= 120


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (400, False),
        (401, False),
        (404, False),
        (408, True),
        (409, True),
        (429, True),
        (500, True),
        (503, True),
        (529, True),
    ],
)
def test_statuses_are_classified(status: int, retryable: bool) -> None:
    error = status_error(status, {"retry-after": "2"}, "x")

    assert error.retryable is retryable
    assert error.status == status
    assert error.retry_after_s == (2.0 if retryable else None)


def test_anthropic_gets_tool_results_as_one_user_turn_of_tool_result_blocks() -> None:
    assert to_anthropic_messages(CONVERSATION) == [
        {"role": "user", "content": [{"type": "text", "text": "weather?"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "c1", "name": "weather", "input": {"city": "Oslo"}},
                {"type": "tool_use", "id": "c2", "name": "weather", "input": {"city": "Rome"}},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "c1", "content": "rain", "is_error": False},
                {
                    "type": "tool_result",
                    "tool_use_id": "c2",
                    "content": "no such city",
                    "is_error": True,
                },
            ],
        },
    ]


def test_openai_gets_tool_results_as_tool_messages() -> None:
    messages = to_openai_messages("Be brief.", CONVERSATION)

    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[2] == {
        "role": "assistant",
        "content": "Checking.",
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "weather", "arguments": '{"city": "Oslo"}'},
            },
            {
                "id": "c2",
                "type": "function",
                "function": {"name": "weather", "arguments": '{"city": "Rome"}'},
            },
        ],
    }
    assert messages[3:] == [
        {"role": "tool", "tool_call_id": "c1", "content": "rain"},
        {"role": "tool", "tool_call_id": "c2", "content": "Error: no such city"},
    ]
