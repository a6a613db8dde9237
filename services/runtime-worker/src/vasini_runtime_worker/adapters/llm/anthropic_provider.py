"""`anthropic`: Claude through the official SDK's streaming Messages API.

The SDK's own retries are off (`max_retries=0`): the router decides about retries,
and a hidden retry would double the calls it counts and the backoff it controls.
`LlmRequest.temperature` is not sent: API version 2026-10-21 (what SDK 2.x speaks)
rejects every sampling parameter with a 400.
"""

from __future__ import annotations

from typing import Any, Literal, cast

import anthropic
import httpx2
from anthropic.types import (
    AssistantMessageParam,
    ContentBlockParam,
    MessageParam,
    TextBlockParam,
    ToolParam,
    ToolResultBlockParam,
    ToolUseBlockParam,
    UserMessageParam,
)

from vasini_runtime_worker.adapters.llm.errors import connection_error, status_error
from vasini_runtime_worker.domain.llm import (
    DeltaSink,
    LlmRequest,
    LlmResponse,
    Message,
    ProviderError,
    StopReason,
    ToolCall,
    Usage,
)

_STOP_REASONS: dict[str, StopReason] = {
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "model_context_window_exceeded": "max_tokens",
}


class AnthropicProvider:
    def __init__(self, client: anthropic.AsyncAnthropic) -> None:
        self._client = client

    @classmethod
    def connect(cls, api_key: str, base_url: str | None, timeout_s: float) -> AnthropicProvider:
        return cls(
            anthropic.AsyncAnthropic(
                api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout_s
            )
        )

    async def complete(
        self, model: str, request: LlmRequest, on_delta: DeltaSink | None
    ) -> LlmResponse:
        tools: list[ToolParam] = [
            {"name": t.name, "description": t.description, "input_schema": t.parameters}
            for t in request.tools
        ]
        try:
            async with self._client.messages.stream(
                model=model,
                max_tokens=request.max_output_tokens,
                system=request.system or anthropic.omit,
                messages=to_anthropic_messages(request.messages),
                tools=tools or anthropic.omit,
            ) as stream:
                async for event in stream:
                    if event.type == "text" and on_delta is not None:
                        await on_delta(event.text)
                message = await stream.get_final_message()
        except anthropic.APIStatusError as error:
            raise _stream_or_status_error(error) from error
        except anthropic.APIConnectionError as error:
            raise connection_error(f"anthropic unreachable: {error}") from error
        except httpx2.TransportError as error:
            # A connection that breaks while the body streams escapes the SDK unwrapped.
            raise connection_error(f"anthropic stream broke: {error!r}") from error
        text = "".join(block.text for block in message.content if block.type == "text")
        calls = tuple(
            ToolCall(id=block.id, name=block.name, arguments=cast(dict[str, Any], block.input))
            for block in message.content
            if block.type == "tool_use"
        )
        return LlmResponse(
            text=text,
            tool_calls=calls,
            usage=Usage(message.usage.input_tokens, message.usage.output_tokens),
            provider="anthropic",
            model=model,
            stop_reason=_STOP_REASONS.get(message.stop_reason or "", "end_turn"),
            attempts=1,  # the router's to set
            latency_ms=0,
        )


def _stream_or_status_error(error: anthropic.APIStatusError) -> ProviderError:
    if error.status_code < 400:
        # An `error` event inside a 200 stream (overloaded, internal): the server's fault.
        return ProviderError(
            f"anthropic stream error: {error.message}",
            retryable=True,
            code="PROVIDER_UNAVAILABLE",
        )
    return status_error(error.status_code, error.response.headers, error.message)


def to_anthropic_messages(messages: tuple[Message, ...]) -> list[MessageParam]:
    """Tool results become `tool_result` blocks of a user turn; consecutive messages of
    one role merge into one turn, as the API wants roles to alternate."""
    turns: list[tuple[Literal["user", "assistant"], list[ContentBlockParam]]] = []
    for message in messages:
        role: Literal["user", "assistant"] = "assistant" if message.role == "assistant" else "user"
        blocks = _blocks(message)
        if turns and turns[-1][0] == role:
            turns[-1][1].extend(blocks)
        else:
            turns.append((role, blocks))
    return [_turn(role, blocks) for role, blocks in turns]


def _turn(role: Literal["user", "assistant"], blocks: list[ContentBlockParam]) -> MessageParam:
    if role == "assistant":
        return AssistantMessageParam(role="assistant", content=blocks)
    return UserMessageParam(role="user", content=blocks)


def _blocks(message: Message) -> list[ContentBlockParam]:
    if message.role == "tool":
        result: ToolResultBlockParam = {
            "type": "tool_result",
            "tool_use_id": message.tool_call_id or "",
            "content": message.content,
            "is_error": message.is_error,
        }
        return [result]
    blocks: list[ContentBlockParam] = []
    if message.content:
        text: TextBlockParam = {"type": "text", "text": message.content}
        blocks.append(text)
    for call in message.tool_calls:
        use: ToolUseBlockParam = {
            "type": "tool_use",
            "id": call.id,
            "name": call.name,
            "input": call.arguments,
        }
        blocks.append(use)
    return blocks
