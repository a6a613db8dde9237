"""A circuit breaker per "provider:model", so a dead model costs no calls for a while.

closed → open after `failures` consecutive failures → half-open once `reset_s` have
passed: one trial call is let through; its success closes the circuit, its failure
opens it again. A trial whose outcome never arrives (its call was cancelled) does not
wedge the circuit: another trial is allowed `reset_s` after it started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

BreakerState = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    def __init__(self, failures: int, reset_s: float, clock: Callable[[], float]) -> None:
        self._threshold = failures
        self._reset_s = reset_s
        self._clock = clock
        self._state: BreakerState = "closed"
        self._failures = 0
        self._since = 0.0  # when the circuit opened, or when the current trial started

    @property
    def state(self) -> BreakerState:
        return self._state

    def allow(self) -> bool:
        """May a call go out now? In half-open, True only for the single trial."""
        if self._state == "closed":
            return True
        if self._clock() - self._since < self._reset_s:
            return False
        self._state = "half-open"
        self._since = self._clock()
        return True

    def record_success(self) -> None:
        self._state = "closed"
        self._failures = 0

    def record_failure(self) -> None:
        self._failures += 1
        if self._state == "half-open" or self._failures >= self._threshold:
            self._state = "open"
            self._since = self._clock()
