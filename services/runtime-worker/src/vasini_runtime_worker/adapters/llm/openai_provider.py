"""`openai`: any OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM)
through the official SDK, streamed.

The SDK's own retries are off (`max_retries=0`): the router owns retries. Tool-call
arguments arrive as JSON fragments spread over chunks, keyed by the call's `index`;
they are joined and parsed once the stream ends. Chat Completions has no error flag
for tool results, so an error result's content is sent prefixed with "Error: ".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import openai
from openai.types.chat import (
    ChatCompletionAssistantMessageParam,
    ChatCompletionFunctionToolParam,
    ChatCompletionMessageFunctionToolCallParam,
    ChatCompletionMessageParam,
    ChatCompletionToolMessageParam,
    ChatCompletionUserMessageParam,
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
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
}


@dataclass
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class OpenAiProvider:
    def __init__(self, client: openai.AsyncOpenAI) -> None:
        self._client = client

    @classmethod
    def connect(cls, api_key: str, base_url: str | None, timeout_s: float) -> OpenAiProvider:
        return cls(
            openai.AsyncOpenAI(api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout_s)
        )

    async def complete(
        self, model: str, request: LlmRequest, on_delta: DeltaSink | None
    ) -> LlmResponse:
        tools: list[ChatCompletionFunctionToolParam] = [
            {
                "type": "function",
                "function": {
                    "name": t.name,
                    "description": t.description,
                    "parameters": t.parameters,
                },
            }
            for t in request.tools
        ]
        text: list[str] = []
        calls: dict[int, _PartialCall] = {}
        finish_reason = ""
        usage = Usage(0, 0)  # some compatible servers ignore include_usage
        try:
            stream = await self._client.chat.completions.create(
                model=model,
                messages=to_openai_messages(request.system, request.messages),
                tools=tools or openai.omit,
                max_completion_tokens=request.max_output_tokens,
                temperature=openai.omit if request.temperature is None else request.temperature,
                stream=True,
                stream_options={"include_usage": True},
            )
            async for chunk in stream:
                if chunk.usage is not None:
                    usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                for choice in chunk.choices:
                    finish_reason = choice.finish_reason or finish_reason
                    if choice.delta.content:
                        text.append(choice.delta.content)
                        if on_delta is not None:
                            await on_delta(choice.delta.content)
                    for fragment in choice.delta.tool_calls or ():
                        partial = calls.setdefault(fragment.index, _PartialCall())
                        partial.id = fragment.id or partial.id
                        if fragment.function is not None:
                            partial.name = fragment.function.name or partial.name
                            partial.arguments.append(fragment.function.arguments or "")
        except openai.APIStatusError as error:
            raise status_error(error.status_code, error.response.headers, error.message) from error
        except openai.APIConnectionError as error:
            # Also what a connection broken mid-stream becomes (the SDK wraps it).
            raise connection_error(f"openai unreachable: {error}") from error
        tool_calls = tuple(_finish(calls[index]) for index in sorted(calls))
        # Some compatible servers end a tool-calling turn with "stop".
        stop_reason = "tool_use" if tool_calls else _STOP_REASONS.get(finish_reason, "end_turn")
        return LlmResponse(
            text="".join(text),
            tool_calls=tool_calls,
            usage=usage,
            provider="openai",
            model=model,
            stop_reason=stop_reason,
            attempts=1,  # the router's to set
            latency_ms=0,
        )


def _finish(partial: _PartialCall) -> ToolCall:
    raw = "".join(partial.arguments) or "{}"
    try:
        arguments: Any = json.loads(raw)
    except json.JSONDecodeError as error:
        # The model produced broken JSON: another try (or model) may do better.
        raise ProviderError(
            f"tool call {partial.name} has invalid JSON arguments: {raw[:200]!r}",
            retryable=True,
            code="PROVIDER_BAD_OUTPUT",
        ) from error
    if not isinstance(arguments, dict):
        raise ProviderError(
            f"tool call {partial.name} arguments are not an object: {raw[:200]!r}",
            retryable=True,
            code="PROVIDER_BAD_OUTPUT",
        )
    return ToolCall(id=partial.id, name=partial.name, arguments=arguments)


def to_openai_messages(
    system: str, messages: tuple[Message, ...]
) -> list[ChatCompletionMessageParam]:
    result: list[ChatCompletionMessageParam] = []
    if system:
        result.append({"role": "system", "content": system})
    for message in messages:
        if message.role == "user":
            user: ChatCompletionUserMessageParam = {"role": "user", "content": message.content}
            result.append(user)
        elif message.role == "tool":
            tool: ChatCompletionToolMessageParam = {
                "role": "tool",
                "tool_call_id": message.tool_call_id or "",
                "content": f"Error: {message.content}" if message.is_error else message.content,
            }
            result.append(tool)
        else:
            result.append(_assistant(message))
    return result


def _assistant(message: Message) -> ChatCompletionAssistantMessageParam:
    assistant: ChatCompletionAssistantMessageParam = {
        "role": "assistant",
        "content": message.content or None,
    }
    if message.tool_calls:
        calls: list[ChatCompletionMessageFunctionToolCallParam] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
            for call in message.tool_calls
        ]
        assistant["tool_calls"] = calls
    return assistant
