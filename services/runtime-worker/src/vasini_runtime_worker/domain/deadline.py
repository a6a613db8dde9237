"""When a run must be over: the client's deadline if it set one, else the longest
`max_duration` of the pack's SOPs, else the service default."""

from __future__ import annotations

from datetime import datetime, timedelta

from vasini_packs import ComposedPack
from vasini_packs.units import seconds


def run_deadline(
    start: datetime, pack: ComposedPack, requested_s: int | None, default_s: float
) -> datetime:
    if requested_s is not None:
        return start + timedelta(seconds=requested_s)
    sops = pack.workflow.sop or () if pack.workflow else ()
    limits = [seconds(sop.max_duration) for sop in sops if sop.max_duration]
    return start + timedelta(seconds=max(limits) if limits else default_s)
