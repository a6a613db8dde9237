"""A fake Anthropic Messages API (`POST /v1/messages`), streamed as the real one does:
message_start, then per content block content_block_start / content_block_delta
(text_delta or input_json_delta) / content_block_stop, then message_delta (stop_reason,
output usage) and message_stop. Errors are `{"type": "error", "error": {...}}`."""

from __future__ import annotations

import json
from typing import Any

from vasini_runtime_worker.adapters.llm.testing.server import (
    Failure,
    FakeModelServer,
    Reply,
    sse,
)

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}


class FakeAnthropic(FakeModelServer):
    path = "/v1/messages"

    @property
    def url(self) -> str:
        return self.root

    @property
    def events_before_text(self) -> int:
        return 2  # message_start, content_block_start

    def stream(self, reply: Reply, body: dict[str, Any]) -> list[str]:
        start = self._envelope(reply, body, content=[], stop_reason=None)
        start["usage"] = {"input_tokens": reply.input_tokens, "output_tokens": 1}
        events = [sse("message_start", {"type": "message_start", "message": start})]
        index = 0
        if reply.text:
            events += self._block(
                index,
                {"type": "text", "text": ""},
                [{"type": "text_delta", "text": piece} for piece in reply.pieces()],
            )
            index += 1
        for call in reply.tool_calls:
            arguments = json.dumps(call.arguments)
            half = len(arguments) // 2
            events += self._block(
                index,
                {"type": "tool_use", "id": call.id, "name": call.name, "input": {}},
                [
                    {"type": "input_json_delta", "partial_json": part}
                    for part in (arguments[:half], arguments[half:])
                ],
            )
            index += 1
        events.append(
            sse(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": _stop_reason(reply), "stop_sequence": None},
                    "usage": {"output_tokens": reply.output_tokens},
                },
            )
        )
        events.append(sse("message_stop", {"type": "message_stop"}))
        return events

    def message(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": reply.text}] if reply.text else []
        content += [
            {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
            for c in reply.tool_calls
        ]
        return self._envelope(reply, body, content=content, stop_reason=_stop_reason(reply))

    def error_body(self, failure: Failure) -> dict[str, Any]:
        kind = _ERROR_TYPES.get(failure.status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": failure.message}}

    @staticmethod
    def _block(index: int, block: dict[str, Any], deltas: list[dict[str, Any]]) -> list[str]:
        return [
            sse(
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": block},
            ),
            *(
                sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                )
                for delta in deltas
            ),
            sse("content_block_stop", {"type": "content_block_stop", "index": index}),
        ]

    def _envelope(
        self,
        reply: Reply,
        body: dict[str, Any],
        *,
        content: list[dict[str, Any]],
        stop_reason: str | None,
    ) -> dict[str, Any]:
        return {
            "id": f"msg_{len(self.received)}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", ""),
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
        }


def _stop_reason(reply: Reply) -> str:
    if reply.max_tokens:
        return "max_tokens"
    return "tool_use" if reply.tool_calls else "end_turn"
