"""The run state machine and the run deadline (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vasini_packs import load_pack
from vasini_runtime_worker.domain.deadline import run_deadline, seconds
from vasini_runtime_worker.domain.errors import InvalidTransition
from vasini_runtime_worker.domain.state_machine import FINAL, allowed, transition

PACKS = Path(__file__).resolve().parents[4] / "packs"
START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("queued", "running"),
        ("queued", "cancelled"),
        ("running", "waiting_tool"),
        ("running", "done"),
        ("waiting_tool", "running"),
        ("waiting_approval", "failed"),
        ("running", "dead_letter"),
    ],
)
def test_allowed_transitions(current: str, target: str) -> None:
    assert transition(current, target) == target  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("queued", "done"),
        ("queued", "waiting_tool"),
        ("done", "running"),
        ("failed", "running"),
        ("cancelled", "done"),
        ("waiting_tool", "done"),
        ("running", "queued"),
    ],
)
def test_invalid_transitions_are_rejected(current: str, target: str) -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition(current, target)  # type: ignore[arg-type]

    assert (caught.value.current, caught.value.target) == (current, target)


def test_final_states_lead_nowhere() -> None:
    assert all(allowed(state) == frozenset() for state in FINAL)


@pytest.mark.parametrize(
    ("text", "value"), [("30s", 30), ("2m", 120), ("1h", 3600), ("500ms", 0.5)]
)
def test_durations(text: str, value: float) -> None:
    assert seconds(text) == value


def test_deadline_prefers_the_request_then_the_longest_sop_then_the_default() -> None:
    reference = load_pack(PACKS / "senior-python-dev")  # one SOP, max_duration 30m
    echo = load_pack(PACKS / "bench-echo")  # no workflow

    assert run_deadline(START, reference, 60, 300) == START + timedelta(seconds=60)
    assert run_deadline(START, reference, None, 300) == START + timedelta(minutes=30)
    assert run_deadline(START, echo, None, 300) == START + timedelta(seconds=300)
