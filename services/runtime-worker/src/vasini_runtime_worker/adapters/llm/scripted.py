"""`scripted`: a deterministic offline model, for demos, tests and benchmarks.

Same request, same answer; no network. Models:

- `scripted:answer` — answers at once: "I am <identity>. Your task: <last user
  message>", where the identity is the first line of the system prompt without its
  leading "#". Streamed in a few deltas.
- `scripted:tools` — if the request offers tools and no tool results have come in since
  the last user message, asks to call each tool once (ids "call_1", "call_2", ...) with
  arguments built from its JSON Schema (see schema_example); once the results are in,
  answers with a summary of them. Without tools it behaves like `answer`.
- `scripted:fail` — always fails as an unavailable server would (retryable, HTTP 503).

Usage is counted as whitespace-separated words: input = system prompt + every message,
output = the answer and the tool calls' arguments.
"""

from __future__ import annotations

import json

from vasini_runtime_worker.adapters.llm.schema_example import example_for
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

MODELS = frozenset({"answer", "tools", "fail"})
_DELTAS = 3


class ScriptedProvider:
    async def complete(
        self, model: str, request: LlmRequest, on_delta: DeltaSink | None
    ) -> LlmResponse:
        if model == "fail":
            raise ProviderError("scripted:fail is always unavailable", retryable=True, status=503)
        if model not in MODELS:
            raise ProviderError(f"no scripted model {model!r}", retryable=False, status=404)
        tool_calls: tuple[ToolCall, ...] = ()
        results = _results_since_last_user(request.messages)
        if model == "tools" and results:
            text = _summary(request.messages, results)
        elif model == "tools" and request.tools:
            tool_calls = tuple(
                ToolCall(id=f"call_{n}", name=tool.name, arguments=example_for(tool.parameters))
                for n, tool in enumerate(request.tools, start=1)
            )
            text = ""
        else:
            text = _answer(request)
        if on_delta is not None:
            for delta in _split(text):
                await on_delta(delta)
        stop_reason: StopReason = "tool_use" if tool_calls else "end_turn"
        return LlmResponse(
            text=text,
            tool_calls=tool_calls,
            usage=Usage(
                input_tokens=_words(request.system, *(m.content for m in request.messages)),
                output_tokens=_words(text, *(json.dumps(c.arguments) for c in tool_calls)),
            ),
            provider="scripted",
            model=model,
            stop_reason=stop_reason,
            attempts=1,  # the router's to set
            latency_ms=0,
        )


def _answer(request: LlmRequest) -> str:
    lines = (line.lstrip("#").strip() for line in request.system.splitlines())
    identity = next((line for line in lines if line), "an assistant")
    task = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
    return f"I am {identity}. Your task: {task.strip() or '(none given)'}"


def _results_since_last_user(messages: tuple[Message, ...]) -> list[Message]:
    results: list[Message] = []
    for message in reversed(messages):
        if message.role == "user":
            break
        if message.role == "tool":
            results.append(message)
    return results[::-1]


def _summary(messages: tuple[Message, ...], results: list[Message]) -> str:
    names = {call.id: call.name for m in messages for call in m.tool_calls}
    parts = [
        f"{names.get(r.tool_call_id or '', 'tool')} {'failed' if r.is_error else 'returned'}: "
        f"{r.content}"
        for r in results
    ]
    return "Tool results: " + "; ".join(parts)


def _split(text: str) -> list[str]:
    """A few deltas that join back to exactly `text`."""
    if not text:
        return []
    size = -(-len(text) // _DELTAS)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _words(*texts: str) -> int:
    return sum(len(text.split()) for text in texts)
