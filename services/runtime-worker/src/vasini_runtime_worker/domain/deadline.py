"""When a run must be over: the client's deadline if it set one, else the longest
`max_duration` of the pack's SOPs, else the service default."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from vasini_packs import ComposedPack

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^([1-9][0-9]*)(ms|s|m|h|d)$")


def seconds(duration: str) -> float:
    """`30s`, `2m`, `1h` -> seconds (the pack format's duration syntax)."""
    match = _DURATION.match(duration)
    if match is None:
        raise ValueError(f"not a duration: {duration!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def run_deadline(
    start: datetime, pack: ComposedPack, requested_s: int | None, default_s: float
) -> datetime:
    if requested_s is not None:
        return start + timedelta(seconds=requested_s)
    sops = pack.workflow.sop or () if pack.workflow else ()
    limits = [seconds(sop.max_duration) for sop in sops if sop.max_duration]
    return start + timedelta(seconds=max(limits) if limits else default_s)
