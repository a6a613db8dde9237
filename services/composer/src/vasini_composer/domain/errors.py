"""Errors of the composer: one base, split into permanent (this request can never be
composed as it is) and transient (retrying may help). Only `handlers.py` turns them
into delivery outcomes; `service.py` turns the permanent ones a client caused into a
`run.failed` with their `code`."""

from __future__ import annotations


class ComposerError(Exception):
    """Base of every composer error. `code` is stable and machine-readable."""

    code = "COMPOSER_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermanentComposerError(ComposerError):
    """Redelivering the same event cannot succeed."""


class TransientComposerError(ComposerError):
    """A dependency hiccup (the packs folder is unreadable); redelivery may succeed."""


class PackNotFound(PermanentComposerError):
    """No pack, version or channel matches the reference (or it is not a reference)."""

    code = "PACK_NOT_FOUND"


class PackInvalid(PermanentComposerError):
    """The referenced pack exists but does not validate; the message names its problems."""

    code = "PACK_INVALID"


class RunIdTaken(PermanentComposerError):
    """The run id was already composed for another tenant (run ids are platform-wide)."""

    code = "RUN_ID_TAKEN"

    def __init__(self, run_id: str) -> None:
        super().__init__(f"run id {run_id} is already used by another tenant")
        self.run_id = run_id


class CatalogueUnavailable(TransientComposerError):
    """The packs folder cannot be read right now (missing, permissions, I/O error)."""

    code = "CATALOGUE_UNAVAILABLE"
