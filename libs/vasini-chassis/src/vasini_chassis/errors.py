"""Errors of the chassis, and the one signal handlers use to refuse an event for good.

Delivery policy (ARCHITECTURE.md §1, §3): a handler translates its domain errors. It
raises `RejectEvent` for permanent failures (bad input, policy) so the event is
dead-lettered at once; any other exception is treated as transient and the event is
redelivered until `max_deliveries`, then dead-lettered with the last error.
"""

from __future__ import annotations


class ChassisError(Exception):
    """Base of every vasini-chassis error."""


class ConfigurationError(ChassisError):
    """Settings are missing or contradictory; the process cannot start."""


class RejectEvent(ChassisError):
    """Raised by a handler: this event can never succeed; dead-letter it now."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ReplayError(ChassisError):
    """A dead letter cannot be replayed (unknown id, nothing to replay)."""
