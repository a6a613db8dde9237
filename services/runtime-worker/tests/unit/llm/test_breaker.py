"""The circuit breaker's states, on a fake clock."""

from __future__ import annotations

from vasini_runtime_worker.adapters.llm.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_it_opens_only_after_consecutive_failures() -> None:
    breaker = CircuitBreaker(failures=3, reset_s=10.0, clock=Clock())

    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()  # resets the count
    breaker.record_failure()
    breaker.record_failure()
    assert (breaker.state, breaker.allow()) == ("closed", True)

    breaker.record_failure()
    assert (breaker.state, breaker.allow()) == ("open", False)


def test_after_the_reset_time_one_trial_goes_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=1, reset_s=10.0, clock=clock)
    breaker.record_failure()

    clock.now = 9.9
    assert not breaker.allow()
    clock.now = 10.0
    assert breaker.allow()
    assert breaker.state == "half-open"
    assert not breaker.allow()  # only one trial at a time


def test_a_trial_success_closes_and_a_trial_failure_reopens() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=5, reset_s=10.0, clock=clock)
    for _ in range(5):
        breaker.record_failure()

    clock.now = 10.0
    assert breaker.allow()
    breaker.record_failure()  # one failure is enough in half-open
    assert breaker.state == "open"
    clock.now = 19.0
    assert not breaker.allow()

    clock.now = 20.0
    assert breaker.allow()
    breaker.record_success()
    assert (breaker.state, breaker.allow(), breaker.allow()) == ("closed", True, True)


def test_a_trial_that_never_reports_does_not_wedge_the_circuit() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=1, reset_s=10.0, clock=clock)
    breaker.record_failure()
    clock.now = 10.0
    assert breaker.allow()  # the trial's call is then cancelled: no outcome

    clock.now = 19.0
    assert not breaker.allow()
    clock.now = 20.0
    assert breaker.allow()
