"""The run's task state machine. Every change goes through `transition`, so an
impossible move (a finished run starting again) is an error, not a silent overwrite."""

from __future__ import annotations

from vasini_contracts.events.runs import RunState
from vasini_runtime_worker.domain.errors import InvalidTransition

__all__ = ["FINAL", "RunState", "allowed", "transition"]


def _states(*states: RunState) -> frozenset[RunState]:
    return frozenset(states)


FINAL = _states("done", "failed", "cancelled", "dead_letter")
WAITING = _states("waiting_tool", "waiting_approval")  # on tool calls or a person
_STOPS = _states("failed", "cancelled", "dead_letter")
_ALLOWED: dict[RunState, frozenset[RunState]] = {
    "queued": _states("running") | _STOPS,
    "running": _states("waiting_tool", "waiting_approval", "done") | _STOPS,
    "waiting_tool": _states("running", "waiting_approval") | _STOPS,
    "waiting_approval": _states("running", "waiting_tool") | _STOPS,
    "done": _states(),
    "failed": _states(),
    "cancelled": _states(),
    "dead_letter": _states(),
}


def transition(current: RunState, target: RunState) -> RunState:
    """`target` if the machine allows current -> target, else InvalidTransition."""
    if target not in _ALLOWED[current]:
        raise InvalidTransition(current, target)
    return target


def allowed(current: RunState) -> frozenset[RunState]:
    return _ALLOWED[current]
