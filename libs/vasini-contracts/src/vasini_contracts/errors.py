"""Errors raised by the wire contracts.

Every error here is permanent: a message that fails to decode will fail the same way
on every delivery, so consumers dead-letter it instead of retrying.
"""

from __future__ import annotations


class ContractError(Exception):
    """Base of every vasini-contracts error. `code` is stable and machine-readable."""

    code = "CONTRACT_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedEntry(ContractError):
    """The Redis stream entry is not a structured-mode CloudEvent we can read."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class UnknownEventType(ContractError):
    code = "UNKNOWN_TYPE"


class InvalidEventData(ContractError):
    code = "INVALID_DATA"
