"""Errors of the runtime-worker. Permanent ones end a run (with a stable code); the
transient ones leave it to be picked up again."""

from __future__ import annotations


class RuntimeWorkerError(Exception):
    """Base of the package's errors."""


class InvalidTransition(RuntimeWorkerError):
    """A state change the run state machine does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a run cannot go from {current} to {target}")
        self.current = current
        self.target = target


class RunFailure(RuntimeWorkerError):
    """Ends the run as failed with a stable `code` (permanent)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class LeaseLost(RuntimeWorkerError):
    """Another replica holds the run now (this one was too slow to renew its lease):
    stop touching it; the other continues from the last saved step (transient)."""
