"""What every detector returns, the interface it implements, and redaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["injection", "jailbreak", "pii", "secret", "other"]


@dataclass(frozen=True, slots=True)
class Detection:
    """A finding in a text: its kind, the span `[start, end)` of the text it was found
    in, and a short label such as `email` (never the value itself)."""

    kind: Kind
    start: int
    end: int
    detail: str


class Detector(Protocol):
    """Anything that finds things in a text. Never raises on any `str`; spans index
    the text it was given."""

    @property
    def name(self) -> str: ...

    def detect(self, text: str) -> list[Detection]: ...


def redact(text: str, detections: Sequence[Detection]) -> str:
    """`text` with each detection replaced by `[REDACTED:<kind>]`; overlapping spans
    are merged into one marker (named after the first)."""
    parts: list[str] = []
    position = 0
    for found in sorted(detections, key=lambda d: (d.start, -d.end)):
        start, end = max(found.start, 0), min(found.end, len(text))
        if end <= start:
            continue
        if start < position:  # overlaps the previous marker: widen it
            position = max(position, end)
            continue
        parts.append(text[position:start])
        parts.append(f"[REDACTED:{found.kind}]")
        position = end
    parts.append(text[position:])
    return "".join(parts)
