"""Run lifecycle events: a client's task travelling through the pipeline.

ingress → run.requested → composer → run.composed → policy → run.admitted → memory →
run.contextualized → runtime-worker → run.output.produced → policy → run.completed.
Every stage carries forward what the next one needs, so no service ever asks another
for state. Any stage may end a run with run.failed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import (
    ErrorInfo,
    PackRef,
    RunId,
    ServiceName,
    SessionId,
    Tier,
    Usage,
    Value,
    example,
)

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
"""States of the runtime's task state machine."""

_PACK = PackRef(
    pack_id="senior-python-dev",
    version="1.4.0",
    digest="sha256:" + "ab" * 32,
).model_dump()
_USAGE = {"input_tokens": 1_830, "output_tokens": 412}


@event("ai.vasini.run.requested.v1")
class RunRequested(EventData):
    """A client asked a pack to perform a task (published by ingress, or by any trusted
    producer with one XADD — see schemas/WIRE.md)."""

    model_config = example(
        run_id="run-42",
        pack="senior-python-dev:prod",
        input="Review this function for bugs.",
        session_id="sess-7",
        metadata={"ticket": "PY-118"},
    )

    run_id: RunId
    pack: str = Field(
        min_length=1,
        max_length=200,
        description="`<pack>` (the prod channel), `<pack>@<version>` or `<pack>:<channel>`.",
    )
    input: str = Field(max_length=1_000_000, description="The task, as the user wrote it.")
    session_id: SessionId = None
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description="Client-defined labels, passed along unchanged and shown in the run.",
    )
    deadline_s: int | None = Field(
        default=None,
        gt=0,
        le=86_400,
        description="Wall-clock limit of the whole run in seconds; none = the pack's.",
    )


class _RunSpec(EventData):
    """What the later stages need to run the task, carried forward from stage to stage."""

    run_id: RunId
    pack: PackRef = Field(description="The immutable pack version the run uses.")
    config: dict[str, Any] = Field(
        description="The composed agent config (vasini-packs model) of `pack`."
    )
    model_tier: Tier = Field(description="LLM router tier the run starts on.")
    input: str = Field(max_length=1_000_000, description="The task for the agent.")
    session_id: SessionId = None
    deadline_s: int | None = Field(
        default=None, gt=0, le=86_400, description="Wall-clock limit of the run in seconds."
    )


@event("ai.vasini.run.composed.v1")
class RunComposed(_RunSpec):
    """The composer resolved the requested pack reference to a published version and
    composed its layers; policy screens the input next."""

    model_config = example(
        run_id="run-42",
        pack=_PACK,
        config={"role": {"name": "Senior Python developer"}, "tools": [{"id": "echo"}]},
        model_tier="tier-2",
        input="Review this function for bugs.",
        session_id="sess-7",
    )

    requested: str = Field(
        default="",
        max_length=200,
        description="The pack reference as the client gave it, e.g. `senior-python-dev:prod`.",
    )


class Finding(Value):
    """Something the prompt firewall noticed in a text."""

    kind: Literal["injection", "jailbreak", "pii", "secret", "other"] = Field(
        description="Detector family."
    )
    action: Literal["warn", "redact", "block"] = Field(description="What policy did about it.")
    detail: str = Field(default="", max_length=500, description="Short, never the secret itself.")


@event("ai.vasini.run.admitted.v1")
class RunAdmitted(_RunSpec):
    """Policy screened the input and let it in (possibly redacted); `input` is the
    screened text. Memory adds context next."""

    model_config = example(
        run_id="run-42",
        pack=_PACK,
        config={"role": {"name": "Senior Python developer"}},
        model_tier="tier-2",
        input="Review this function for bugs. My key is [REDACTED:secret].",
        findings=[{"kind": "secret", "action": "redact", "detail": "api key"}],
    )

    findings: list[Finding] = Field(
        default_factory=list, description="Firewall findings that did not block the input."
    )


class ContextItem(Value):
    """One piece of context memory adds to the prompt."""

    kind: Literal["session_turn", "episodic", "fact"] = Field(
        description="A previous turn of the session, a remembered episode, or a fact."
    )
    text: str = Field(max_length=100_000, description="The text placed in the prompt.")
    score: float | None = Field(
        default=None, ge=0, le=1, description="Relevance in [0, 1], when retrieved by search."
    )
    memory_id: str | None = Field(
        default=None, max_length=128, description="Id of the stored memory it came from."
    )


@event("ai.vasini.run.contextualized.v1")
class RunContextualized(_RunSpec):
    """Memory added session history and relevant memories; the runtime starts the run."""

    model_config = example(
        run_id="run-42",
        pack=_PACK,
        config={"role": {"name": "Senior Python developer"}},
        model_tier="tier-2",
        input="Review this function for bugs.",
        session_id="sess-7",
        context=[{"kind": "fact", "text": "The team targets Python 3.12.", "score": 0.82}],
    )

    context: list[ContextItem] = Field(
        default_factory=list, max_length=200, description="Context in prompt order."
    )


@event("ai.vasini.run.state.changed.v1")
class RunStateChanged(EventData):
    """The runtime's task state machine moved (for clients' live view and status)."""

    model_config = example(run_id="run-42", previous="running", state="waiting_tool", step=2)

    run_id: RunId
    previous: RunState | None = Field(default=None, description="State before; none at start.")
    state: RunState = Field(description="State now.")
    step: int = Field(ge=0, description="Agent-loop step the run is at (0 before the first).")


@event("ai.vasini.run.output.delta.v1")
class RunOutputDelta(EventData):
    """Ephemeral: a piece of the answer as the model streams it. Written to a capped
    stream outside the outbox; may be lost, nothing depends on it."""

    model_config = example(run_id="run-42", step=3, seq=17, text="The loop never ")

    run_id: RunId
    step: int = Field(default=0, ge=0, description="Agent-loop step producing the text.")
    seq: int = Field(ge=0, description="Order of the delta within the run, from 0.")
    text: str = Field(max_length=100_000, description="The new text (not the whole answer).")


@event("ai.vasini.run.output.produced.v1")
class RunOutputProduced(EventData):
    """The runtime has the final answer; policy screens it before completion."""

    model_config = example(
        run_id="run-42", output="The loop never terminates when n < 0.", usage=_USAGE, steps=3
    )

    run_id: RunId
    output: str = Field(max_length=1_000_000, description="The final answer, unscreened.")
    usage: Usage = Field(description="Tokens of every model call of the run.")
    steps: int = Field(ge=0, description="Agent-loop steps the run took.")


@event("ai.vasini.run.completed.v1")
class RunCompleted(EventData):
    """The screened answer, delivered to the client; memory learns from it, eval scores
    it, finops closes the run's bill."""

    model_config = example(
        run_id="run-42",
        pack=_PACK,
        session_id="sess-7",
        output="The loop never terminates when n < 0.",
        usage=_USAGE,
        steps=3,
        duration_ms=8_412,
    )

    run_id: RunId
    pack: PackRef = Field(description="The pack version that ran.")
    session_id: SessionId = None
    output: str = Field(max_length=1_000_000, description="The answer after output screening.")
    usage: Usage = Field(description="Tokens of every model call of the run.")
    steps: int = Field(ge=0, description="Agent-loop steps the run took.")
    redactions: list[str] = Field(
        default_factory=list, description="Kinds of content redacted from the output, e.g. pii."
    )
    duration_ms: int = Field(ge=0, description="From run.requested to completion.")


@event("ai.vasini.run.failed.v1")
class RunFailed(EventData):
    """Any stage ended the run for good; `stage` names the service, `error` says why."""

    model_config = example(
        run_id="run-42",
        stage="composer",
        error={"code": "PACK_NOT_FOUND", "message": "no pack 'senior-python-dev'"},
    )

    run_id: RunId
    stage: ServiceName = Field(description="The service that failed the run.")
    error: ErrorInfo = Field(description="Why; `error.code` is stable.")
    pack: PackRef | None = Field(default=None, description="The pack version, once resolved.")
    usage: Usage | None = Field(default=None, description="Tokens consumed before failing.")
    steps: int = Field(default=0, ge=0, description="Agent-loop steps taken before failing.")
    duration_ms: int | None = Field(default=None, ge=0, description="From request to failure.")


@event("ai.vasini.run.cancel.requested.v1")
class RunCancelRequested(EventData):
    """A client asked to cancel (ingress); the runtime stops at the next safe point."""

    model_config = example(run_id="run-42", reason="wrong pack", requested_by="key_3f9a")

    run_id: RunId
    reason: str | None = Field(default=None, max_length=1_000, description="Client's reason.")
    requested_by: str | None = Field(
        default=None, max_length=200, description="API key id of the caller."
    )


@event("ai.vasini.run.cancelled.v1")
class RunCancelled(EventData):
    """The runtime stopped the run after a cancel request; no more events follow for it."""

    model_config = example(run_id="run-42", usage=_USAGE, steps=2)

    run_id: RunId
    usage: Usage | None = Field(default=None, description="Tokens consumed before stopping.")
    steps: int = Field(default=0, ge=0, description="Agent-loop steps taken before stopping.")
    reason: str | None = Field(default=None, max_length=1_000, description="The cancel reason.")
