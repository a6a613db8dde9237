"""The pack format's unit strings as numbers: durations (`30s`, `2m`, `1h`) and memory
sizes (`512Mi`, `1Gi`). The schemas already restrict the syntax; these convert."""

from __future__ import annotations

import re

_TIME = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^([1-9][0-9]*)(ms|s|m|h|d)$")
_SIZE = {"Ki": 1024, "Mi": 1024**2, "Gi": 1024**3}
_MEMORY = re.compile(r"^([1-9][0-9]*)(Ki|Mi|Gi)$")


def seconds(duration: str) -> float:
    """`30s`, `2m`, `1h` -> seconds."""
    match = _DURATION.match(duration)
    if match is None:
        raise ValueError(f"not a duration: {duration!r}")
    return int(match.group(1)) * _TIME[match.group(2)]


def memory_bytes(size: str) -> int:
    """`512Mi`, `1Gi` -> bytes."""
    match = _MEMORY.match(size)
    if match is None:
        raise ValueError(f"not a memory size: {size!r}")
    return int(match.group(1)) * _SIZE[match.group(2)]
