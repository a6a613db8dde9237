"""What the composer remembers of each run it handled (its audit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

Outcome = Literal["composed", "PACK_NOT_FOUND", "PACK_INVALID"]
"""`composed`, or the error code of the `run.failed` the run got."""


@dataclass(frozen=True, slots=True)
class Composition:
    """One run's composition: the pack version it got, or why it got none."""

    run_id: str
    event_id: UUID
    requested: str
    outcome: Outcome
    pack_id: str | None = None
    version: str | None = None
    digest: str | None = None
    message: str | None = None
