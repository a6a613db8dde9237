"""Run lifecycle events: a client's task travelling through the pipeline."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import RUN_ID, ErrorInfo, PackRef, Tier, Usage, Value

RunState = Literal[
    "queued",
    "running",
    "waiting_tool",
    "waiting_approval",
    "done",
    "failed",
    "cancelled",
    "dead_letter",
]


@event("ai.vasini.run.requested.v1")
class RunRequested(EventData):
    """A client asked a pack to perform a task (published by ingress)."""

    run_id: str = RUN_ID
    pack: str = Field(min_length=1, max_length=200, description="id, id@version or id:channel")
    input: str = Field(max_length=1_000_000)
    session_id: str | None = Field(default=None, max_length=128)
    metadata: dict[str, Any] = Field(default_factory=dict)


@event("ai.vasini.run.composed.v1")
class RunComposed(EventData):
    """The composer resolved the pack; `config` is the composed agent config."""

    run_id: str = RUN_ID
    pack: PackRef
    config: dict[str, Any] = Field(description="Composed agent config (vasini-packs model).")
    model_tier: Tier
    input: str = Field(max_length=1_000_000)
    session_id: str | None = Field(default=None, max_length=128)


@event("ai.vasini.run.admitted.v1")
class RunAdmitted(EventData):
    """Policy let the input in, possibly redacted; the run may start."""

    run_id: str = RUN_ID
    pack: PackRef
    input: str = Field(max_length=1_000_000, description="The input after redaction.")
    warnings: list[str] = Field(default_factory=list, description="Findings that only warn.")


class ContextItem(Value):
    kind: Literal["session_turn", "episodic", "fact"]
    text: str = Field(max_length=100_000)
    score: float | None = Field(default=None, description="Relevance, when retrieved.")


@event("ai.vasini.run.contextualized.v1")
class RunContextualized(EventData):
    """Memory added session history and relevant memories; the runtime starts."""

    run_id: str = RUN_ID
    pack: PackRef
    context: list[ContextItem] = Field(default_factory=list)


@event("ai.vasini.run.state.changed.v1")
class RunStateChanged(EventData):
    """The runtime's task state machine moved (for clients' live view)."""

    run_id: str = RUN_ID
    previous: RunState | None = None
    state: RunState
    step: int = Field(ge=0)


@event("ai.vasini.run.output.delta.v1")
class RunOutputDelta(EventData):
    """Ephemeral: a piece of the answer as the model streams it (may be lost)."""

    run_id: str = RUN_ID
    seq: int = Field(ge=0, description="Order of the delta within the run.")
    text: str = Field(max_length=100_000)


@event("ai.vasini.run.output.produced.v1")
class RunOutputProduced(EventData):
    """The runtime has the final answer; policy screens it before completion."""

    run_id: str = RUN_ID
    output: str = Field(max_length=1_000_000)
    usage: Usage
    steps: int = Field(ge=0)


@event("ai.vasini.run.completed.v1")
class RunCompleted(EventData):
    """The screened answer, delivered to the client."""

    run_id: str = RUN_ID
    output: str = Field(max_length=1_000_000)
    usage: Usage
    steps: int = Field(ge=0)
    redactions: list[str] = Field(default_factory=list, description="Kinds redacted.")
    duration_ms: int = Field(ge=0)


@event("ai.vasini.run.failed.v1")
class RunFailed(EventData):
    """Any stage ended the run; `stage` names it."""

    run_id: str = RUN_ID
    stage: str = Field(min_length=1, max_length=64, description="Service that failed it.")
    error: ErrorInfo
    usage: Usage | None = None


@event("ai.vasini.run.cancel.requested.v1")
class RunCancelRequested(EventData):
    """A client asked to cancel (ingress); the runtime stops at the next safe point."""

    run_id: str = RUN_ID
    reason: str | None = Field(default=None, max_length=1_000)


@event("ai.vasini.run.cancelled.v1")
class RunCancelled(EventData):
    run_id: str = RUN_ID
    usage: Usage | None = None
    steps: int = Field(default=0, ge=0)
