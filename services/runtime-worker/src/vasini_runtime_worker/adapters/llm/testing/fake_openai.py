"""A fake OpenAI Chat Completions API (`POST /v1/chat/completions`), streamed as the
real one does: `chat.completion.chunk` objects with `delta.content` or
`delta.tool_calls[{index, id, function: {name, arguments}}]` (the arguments in
fragments), a chunk with `finish_reason`, then — when `stream_options.include_usage`
— a chunk with empty `choices` and the `usage`, then `data: [DONE]`."""

from __future__ import annotations

import json
from typing import Any

from vasini_runtime_worker.adapters.llm.testing.server import (
    Failure,
    FakeModelServer,
    Reply,
    sse,
)


class FakeOpenAI(FakeModelServer):
    path = "/v1/chat/completions"

    @property
    def url(self) -> str:
        return f"{self.root}/v1"

    @property
    def events_before_text(self) -> int:
        return 1  # the role chunk

    def stream(self, reply: Reply, body: dict[str, Any]) -> list[str]:
        model = body.get("model", "")
        deltas: list[tuple[dict[str, Any], str | None]] = [({"role": "assistant"}, None)]
        deltas += [({"content": piece}, None) for piece in reply.pieces()]
        for index, call in enumerate(reply.tool_calls):
            arguments = json.dumps(call.arguments)
            half = len(arguments) // 2
            deltas.append(
                (
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "id": call.id,
                                "type": "function",
                                "function": {"name": call.name, "arguments": arguments[:half]},
                            }
                        ]
                    },
                    None,
                )
            )
            deltas.append(
                (
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "function": {"arguments": arguments[half:]},
                            }
                        ]
                    },
                    None,
                )
            )
        deltas.append(({}, _finish_reason(reply)))
        events = [
            sse(None, self._chunk(model, [{"index": 0, "delta": delta, "finish_reason": finish}]))
            for delta, finish in deltas
        ]
        if (body.get("stream_options") or {}).get("include_usage"):
            usage_chunk = self._chunk(model, [])
            usage_chunk["usage"] = _usage(reply)
            events.append(sse(None, usage_chunk))
        events.append(sse(None, "[DONE]"))
        return events

    def message(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
                }
                for c in reply.tool_calls
            ]
        return {
            "id": f"chatcmpl-{len(self.received)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": message, "finish_reason": _finish_reason(reply)}],
            "usage": _usage(reply),
        }

    def error_body(self, failure: Failure) -> dict[str, Any]:
        return {
            "error": {
                "message": failure.message,
                "type": "rate_limit_exceeded" if failure.status == 429 else "server_error",
                "param": None,
                "code": None,
            }
        }

    def _chunk(self, model: str, choices: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-{len(self.received)}",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": choices,
        }


def _finish_reason(reply: Reply) -> str:
    if reply.max_tokens:
        return "length"
    return "tool_calls" if reply.tool_calls else "stop"


def _usage(reply: Reply) -> dict[str, int]:
    return {
        "prompt_tokens": reply.input_tokens,
        "completion_tokens": reply.output_tokens,
        "total_tokens": reply.input_tokens + reply.output_tokens,
    }
