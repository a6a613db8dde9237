"""The agent loop: advance one claimed run by as many steps as it can take now.

A run is persisted after every step, in short transactions; the model is called with
no transaction open. The loop ends when the run finishes (output produced, failed,
cancelled), or waits for something outside it (tool results), or the worker loses the
run's lease (another replica continues it).

Tools: a step that asks for tools checks each call's arguments against the tool's
schema (invalid ones are answered at once with the error), requests the rest from
policy (`tool.call.requested`, at most the pack's `max_concurrent` in flight) and
waits (`waiting_tool`, or `waiting_approval` while a person must decide). Answers
arrive through the consumer (`tool_answers`) and wake the run; when every call of
the step is answered the results go to the model in call order.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from vasini_contracts import EventData
from vasini_contracts.events.common import ErrorInfo, PackRef
from vasini_contracts.events.common import Usage as UsageData
from vasini_contracts.events.llm import LlmCallCompleted
from vasini_contracts.events.runs import (
    RunCancelled,
    RunFailed,
    RunOutputProduced,
    RunStateChanged,
)
from vasini_contracts.events.tools import ToolCallRequested
from vasini_packs import ComposedPack, build_prompt
from vasini_packs.builtin_tools import argument_errors, tool_parameters
from vasini_packs.models import Tool
from vasini_runtime_worker.domain.errors import RunFailure
from vasini_runtime_worker.domain.llm import (
    DeltaSink,
    LlmError,
    LlmRequest,
    LlmResponse,
    LlmTransientError,
    Message,
    ToolCall,
    ToolSpec,
)
from vasini_runtime_worker.domain.run import ClaimedRun, RunRecord
from vasini_runtime_worker.domain.state_machine import FINAL, WAITING, RunState, transition
from vasini_runtime_worker.domain.tool_calls import (
    PendingCall,
    ToolAnswer,
    all_answered,
    apply_answers,
    awaiting_approval,
    pipeline_call_id,
    result_messages,
    to_request,
)

STAGE = "runtime-worker"


class RunStore(Protocol):
    async def save(
        self, record: RunRecord, events: Sequence[EventData], *, wake_at: datetime | None
    ) -> None:
        """Persist the record and enqueue `events` in one transaction, if this worker
        still holds the lease (else LeaseLost). `wake_at`: hand the run back to the
        queue (any replica continues it then); None while this worker keeps going.
        A final state removes the run from the queue."""
        ...

    async def cancel_requested(self, tenant_id: str, run_id: str) -> bool: ...

    async def drop(self, run_id: str) -> None:
        """Take a run that needs no more work off the queue."""
        ...


class DeltaPublisher(Protocol):
    async def publish(self, record: RunRecord, seq: int, text: str) -> None: ...


class Model(Protocol):
    async def complete(
        self, request: LlmRequest, on_delta: DeltaSink | None = None
    ) -> LlmResponse: ...


@dataclass(frozen=True, slots=True)
class LoopSettings:
    retry_after_outage_s: float = 5.0
    cancel_check_s: float = 0.5


class RunLoop:
    def __init__(
        self,
        store: RunStore,
        model: Model,
        deltas: DeltaPublisher,
        settings: LoopSettings,
        now: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._model = model
        self._deltas = deltas
        self._settings = settings
        self._now = now

    async def advance(self, claimed: ClaimedRun) -> None:
        """Take the run as far as it can go now (see the module docstring)."""
        record, run_id = claimed.record, claimed.run_id
        if record is None or record.state in FINAL:
            await self._store.drop(run_id)
            return
        if record.cancel_requested:
            await self._finish(
                record,
                "cancelled",
                RunCancelled(
                    run_id=run_id,
                    usage=_usage(record),
                    steps=record.step,
                    reason=record.cancel_reason,
                ),
            )
            return
        if self._now() >= record.deadline_at:
            await self._fail(record, _deadline_failure(record))
            return
        if record.state in WAITING:
            if not await self._collect_answers(record, claimed.answers):
                return
        elif record.state == "queued":
            await self._move(record, "running", wake_at=None)
        await self._steps(record)

    async def _steps(self, record: RunRecord) -> None:
        """One model call: each step is its own `advance` (tool results wake the run
        for the next one), so a step is also the unit a replica takes over."""
        pack = ComposedPack.from_config(record.config)
        max_steps = pack.guardrails.behavioral.max_autonomous_steps
        request_base = _request(record, pack)
        if not record.messages:
            record.messages.append(Message(role="user", content=record.input))
        if record.step >= max_steps:
            await self._fail(
                record,
                RunFailure(
                    "MAX_STEPS_EXCEEDED",
                    f"the run took {record.step} steps, the pack's limit "
                    "(guardrails.behavioral.max_autonomous_steps)",
                ),
            )
            return
        outcome = await self._call(record, request_base)
        if outcome is None:
            return  # the run was cancelled, failed or handed back while calling
        if outcome.tool_calls:
            await self._request_tools(record, outcome, pack)
        else:
            await self._produce(record, outcome)

    async def _call(self, record: RunRecord, base: LlmRequest) -> LlmResponse | None:
        request = LlmRequest(
            tenant_id=base.tenant_id,
            tier=base.tier,
            system=base.system,
            messages=tuple(record.messages),
            tools=base.tools,
            max_output_tokens=base.max_output_tokens,
            temperature=base.temperature,
        )

        async def on_delta(text: str) -> None:
            await self._deltas.publish(record, record.delta_seq, text)
            record.delta_seq += 1

        remaining = (record.deadline_at - self._now()).total_seconds()
        call = asyncio.ensure_future(self._model.complete(request, on_delta))
        watcher = asyncio.ensure_future(self._watch_cancel(record))
        try:
            done, _ = await asyncio.wait(
                {call, watcher}, timeout=max(remaining, 0), return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        if call not in done:
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError, LlmError):
                await call
            if watcher in done:
                await self._finish(
                    record,
                    "cancelled",
                    RunCancelled(
                        run_id=record.run_id,
                        usage=_usage(record),
                        steps=record.step,
                        reason=record.cancel_reason,
                    ),
                )
            else:
                await self._fail(record, _deadline_failure(record))
            return None
        try:
            return call.result()
        except LlmTransientError:
            # Every model is down: keep the run and try again later, until its deadline.
            wake = min(
                self._now() + timedelta(seconds=self._settings.retry_after_outage_s),
                record.deadline_at,
            )
            await self._store.save(record, [], wake_at=wake)
            return None
        except LlmError as exc:
            await self._fail(record, RunFailure(exc.code, str(exc)))
            return None

    async def _watch_cancel(self, record: RunRecord) -> None:
        # The flag lives in PostgreSQL (any replica's consumer may set it): poll it.
        # `advance` has just read it with the run, so the first look is after a pause.
        while True:
            await asyncio.sleep(self._settings.cancel_check_s)
            if await self._store.cancel_requested(record.tenant_id, record.run_id):
                return

    async def _request_tools(
        self, record: RunRecord, response: LlmResponse, pack: ComposedPack
    ) -> None:
        record.step += 1
        record.add_usage(response.usage)
        record.messages.append(
            Message(role="assistant", content=response.text, tool_calls=response.tool_calls)
        )
        record.calls = [
            _checked_call(pack, record.step, index, call)
            for index, call in enumerate(response.tool_calls, start=1)
        ]
        events: list[EventData] = [self._llm_completed(record, response)]
        if all_answered(record.calls):  # every call was invalid: straight back to the model
            record.messages.extend(result_messages(record.calls))
            record.calls = []
            await self._store.save(record, events, wake_at=self._now())
            return
        previous = record.state
        record.state = transition(record.state, "waiting_tool")
        events += self._requests(record, pack)
        events.append(_state_changed(record, previous))
        await self._store.save(record, events, wake_at=record.deadline_at)

    async def _collect_answers(self, record: RunRecord, answers: list[ToolAnswer]) -> bool:
        """Apply what came back for the step's calls; True when all are answered (the
        run is running again), else request what may go now and wait."""
        apply_answers(record.calls, answers)
        previous = record.state
        if all_answered(record.calls):
            record.messages.extend(result_messages(record.calls))
            record.calls = []
            record.state = transition(previous, "running")
            await self._store.save(record, [_state_changed(record, previous)], wake_at=None)
            return True
        events = self._requests(record, ComposedPack.from_config(record.config))
        waiting: RunState = "waiting_tool"
        if awaiting_approval(record.calls):
            waiting = "waiting_approval"
        if waiting != previous:
            record.state = transition(previous, waiting)
            events.append(_state_changed(record, previous))
        await self._store.save(record, events, wake_at=record.deadline_at)
        return False

    def _requests(self, record: RunRecord, pack: ComposedPack) -> list[EventData]:
        policies = pack.tools.tool_policies if pack.tools else None
        limit = policies.max_concurrent if policies else None
        return [
            ToolCallRequested(
                run_id=record.run_id,
                call_id=call.call_id,
                step=record.step,
                tool_id=call.name,
                arguments=call.arguments,
            )
            for call in to_request(record.calls, limit)
        ]

    async def _produce(self, record: RunRecord, response: LlmResponse) -> None:
        record.step += 1
        record.add_usage(response.usage)
        record.messages.append(Message(role="assistant", content=response.text))
        await self._finish(
            record,
            "done",
            RunOutputProduced(
                run_id=record.run_id, output=response.text, usage=_usage(record), steps=record.step
            ),
            extra=[self._llm_completed(record, response)],
        )

    async def _move(self, record: RunRecord, target: RunState, *, wake_at: datetime | None) -> None:
        previous = record.state
        record.state = transition(record.state, target)
        await self._store.save(record, [_state_changed(record, previous)], wake_at=wake_at)

    async def _fail(
        self, record: RunRecord, failure: RunFailure, extra: Sequence[EventData] = ()
    ) -> None:
        duration = self._now() - record.requested_at
        await self._finish(
            record,
            "failed",
            RunFailed(
                run_id=record.run_id,
                stage=STAGE,
                error=ErrorInfo(code=failure.code, message=failure.message),
                pack=PackRef(**record.pack),
                usage=_usage(record),
                steps=record.step,
                duration_ms=max(int(duration.total_seconds() * 1000), 0),
            ),
            extra=extra,
        )

    async def _finish(
        self,
        record: RunRecord,
        target: RunState,
        final_event: EventData,
        extra: Sequence[EventData] = (),
    ) -> None:
        previous = record.state
        record.state = transition(record.state, target)
        await self._store.save(
            record, [*extra, final_event, _state_changed(record, previous)], wake_at=None
        )

    def _llm_completed(self, record: RunRecord, response: LlmResponse) -> LlmCallCompleted:
        return LlmCallCompleted(
            run_id=record.run_id,
            pack_id=record.pack["pack_id"],
            pack_version=record.pack["version"],
            step=record.step,
            provider=response.provider,
            model=response.model,
            tier=record.tier,
            usage=UsageData(
                input_tokens=response.usage.input_tokens,
                output_tokens=response.usage.output_tokens,
            ),
            latency_ms=response.latency_ms,
            cost_usd=0.0,
            outcome="ok",
            attempts=max(response.attempts, 1),
            stop_reason=response.stop_reason,
        )


def _request(record: RunRecord, pack: ComposedPack) -> LlmRequest:
    """What every model call of the run shares; messages are filled in per call."""
    tools = tuple(
        ToolSpec(
            name=tool.id,
            description=(tool.description or tool.name).strip(),
            parameters=tool_parameters(tool),
        )
        for tool in _declared(pack)
    )
    model = pack.manifest.model
    return LlmRequest(
        tenant_id=record.tenant_id,
        tier=record.tier,
        system=build_prompt(pack),
        messages=(),
        tools=tools,
        max_output_tokens=(model.max_output_tokens if model and model.max_output_tokens else 4096),
        temperature=model.temperature if model else None,
    )


def _declared(pack: ComposedPack) -> tuple[Tool, ...]:
    return tuple(pack.tools.available or ()) if pack.tools else ()


MAX_TOOL_ID = 128


def _checked_call(pack: ComposedPack, step: int, index: int, call: ToolCall) -> PendingCall:
    """The call, answered at once with an error if its arguments do not fit the
    tool's schema. A tool the pack does not declare goes to policy, which refuses and
    audits it, unless its name could not even be carried in an event."""
    pending = PendingCall(call.id, pipeline_call_id(step, index), call.name, call.arguments)
    declared = {tool.id: tool for tool in _declared(pack)}
    problem: str | None = None
    if len(call.name) > MAX_TOOL_ID:
        problem = f"there is no tool named `{call.name[:40]}...`"
    elif call.name in declared:
        problem = argument_errors(call.name, tool_parameters(declared[call.name]), call.arguments)
    if problem is not None:
        pending.status, pending.result, pending.is_error = "answered", problem, True
    return pending


def _usage(record: RunRecord) -> UsageData:
    return UsageData(input_tokens=record.input_tokens, output_tokens=record.output_tokens)


def _state_changed(record: RunRecord, previous: RunState) -> RunStateChanged:
    return RunStateChanged(
        run_id=record.run_id, previous=previous, state=record.state, step=record.step
    )


def _deadline_failure(record: RunRecord) -> RunFailure:
    waiting = ""
    pending = [call.name for call in record.calls if call.status != "answered"]
    if record.state == "waiting_approval":
        waiting = f" while waiting for a person to approve tool calls ({', '.join(pending)})"
    elif record.state == "waiting_tool":
        waiting = f" while waiting for tool results ({', '.join(pending)}); no service answered"
    return RunFailure("RUN_DEADLINE_EXCEEDED", f"the run reached its deadline{waiting}")
