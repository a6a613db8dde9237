"""A run as the runtime keeps it between steps: everything needed for any replica to
continue it (conversation so far, step, usage, deadline), in a JSON-able form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vasini_runtime_worker.domain.llm import Message, Tier, ToolCall, Usage
from vasini_runtime_worker.domain.state_machine import RunState
from vasini_runtime_worker.domain.tool_calls import PendingCall, ToolAnswer


@dataclass
class RunRecord:
    """Mutable while a step runs; persisted after every step."""

    tenant_id: str
    run_id: str
    pack: dict[str, str]  # pack_id, version, digest
    config: dict[str, Any]
    tier: Tier
    input: str
    session_id: str | None
    requested_at: datetime
    deadline_at: datetime
    traceparent: str | None
    state: RunState = "queued"
    step: int = 0
    messages: list[Message] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    delta_seq: int = 0
    cancel_requested: bool = False
    cancel_reason: str | None = None
    calls: list[PendingCall] = field(default_factory=list)  # of the step waiting on tools

    def add_usage(self, usage: Usage) -> None:
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens


def messages_to_json(messages: list[Message]) -> list[dict[str, Any]]:
    return [
        {
            "role": message.role,
            "content": message.content,
            "tool_calls": [
                {"id": call.id, "name": call.name, "arguments": call.arguments}
                for call in message.tool_calls
            ],
            "tool_call_id": message.tool_call_id,
            "is_error": message.is_error,
        }
        for message in messages
    ]


def messages_from_json(rows: list[dict[str, Any]]) -> list[Message]:
    return [
        Message(
            role=row["role"],
            content=row["content"],
            tool_calls=tuple(
                ToolCall(id=call["id"], name=call["name"], arguments=call["arguments"])
                for call in row["tool_calls"]
            ),
            tool_call_id=row["tool_call_id"],
            is_error=row["is_error"],
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class ClaimedRun:
    """A run this worker now holds: its record (None if it is gone) and, when it waits
    on tool calls, everything that came back for them so far; read with the claim."""

    tenant_id: str
    run_id: str
    record: RunRecord | None
    answers: list[ToolAnswer]
    more_ready: bool = False  # another run was ready too: claim again without waiting
