"""The tool calls of the step a run is waiting on, and how answers move them along.

A model step may ask for several calls. Each is checked against its tool's schema
first (invalid arguments are answered at once with the error, for the model to fix);
the rest are requested from policy, at most `max_concurrent` at a time (the pack's
`tool_policies.max_concurrent`), the next ones as earlier ones are answered. The step
is over when every call is answered; the answers go back to the model in call order.

What comes back for a call (from policy, the sandbox, the approval flow) is kept as
`ToolAnswer`s per call and kind; a call's status is recomputed from the set it has, so
the order answers arrive in does not matter and a repeated answer changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from vasini_runtime_worker.domain.llm import Message

CallStatus = Literal["queued", "requested", "awaiting_approval", "answered"]
AnswerKind = Literal["completed", "denied", "approval_requested", "approval_decided"]


@dataclass
class PendingCall:
    """`id` is the model's id for the call (what its result must name); `call_id` is
    the one the pipeline uses: unique in the run, since models may reuse ids across
    steps (the `scripted` model always starts at `call_1`)."""

    id: str
    call_id: str
    name: str
    arguments: dict[str, Any]
    status: CallStatus = "queued"
    result: str = ""
    is_error: bool = False

    @property
    def in_flight(self) -> bool:
        return self.status in ("requested", "awaiting_approval")


@dataclass(frozen=True, slots=True)
class ToolAnswer:
    """One thing that came back for a call. `content` is the result text (completed),
    the reason (denied), or empty for approval progress."""

    call_id: str
    kind: AnswerKind
    content: str = ""
    is_error: bool = False


def pipeline_call_id(step: int, index: int) -> str:
    """The `index`-th call (from 1) of `step`: short, and unique within the run."""
    return f"s{step}-c{index}"


def apply_answers(calls: list[PendingCall], answers: Iterable[ToolAnswer]) -> None:
    """Move the calls along by what came back for them."""
    by_call: dict[str, dict[AnswerKind, ToolAnswer]] = {}
    for answer in answers:
        by_call.setdefault(answer.call_id, {})[answer.kind] = answer
    for call in calls:
        got = by_call.get(call.call_id)
        if call.status in ("answered", "queued") or not got:
            continue
        final = got.get("completed") or got.get("denied")
        if final is not None:
            call.status, call.result, call.is_error = "answered", final.content, final.is_error
        elif "approval_requested" in got and "approval_decided" not in got:
            call.status = "awaiting_approval"
        else:
            call.status = "requested"


def to_request(calls: list[PendingCall], max_concurrent: int | None) -> list[PendingCall]:
    """The queued calls that may be requested now (marked requested)."""
    room = len(calls) if max_concurrent is None else max_concurrent
    room -= sum(1 for call in calls if call.in_flight)
    chosen = [call for call in calls if call.status == "queued"][: max(room, 0)]
    for call in chosen:
        call.status = "requested"
    return chosen


def all_answered(calls: list[PendingCall]) -> bool:
    return all(call.status == "answered" for call in calls)


def awaiting_approval(calls: list[PendingCall]) -> bool:
    return any(call.status == "awaiting_approval" for call in calls)


def result_messages(calls: list[PendingCall]) -> list[Message]:
    """The answers as tool messages for the model, in the order it asked."""
    return [
        Message(role="tool", content=call.result, tool_call_id=call.id, is_error=call.is_error)
        for call in calls
    ]


def calls_to_json(calls: list[PendingCall]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "call_id": c.call_id,
            "name": c.name,
            "arguments": c.arguments,
            "status": c.status,
            "result": c.result,
            "is_error": c.is_error,
        }
        for c in calls
    ]


def calls_from_json(rows: list[dict[str, Any]]) -> list[PendingCall]:
    return [
        PendingCall(
            id=row["id"],
            call_id=row["call_id"],
            name=row["name"],
            arguments=row["arguments"],
            status=row["status"],
            result=row["result"],
            is_error=row["is_error"],
        )
        for row in rows
    ]
