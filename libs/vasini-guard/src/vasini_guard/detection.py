"""What every detector returns, the interface it implements, and redaction."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["injection", "jailbreak", "pii", "secret", "other"]

# Labels (`Detection.detail`) of personal data, shared by the detectors that find it
# and the readable redaction that names it.
EMAIL = "email"
PHONE = "phone"
PAYMENT_CARD = "payment card"
IBAN = "iban"
SSN = "ssn"
IP_ADDRESS = "ip address"

_READABLE_PII = {
    EMAIL: "[EMAIL]",
    PHONE: "[PHONE]",
    PAYMENT_CARD: "[CARD]",
    IBAN: "[IBAN]",
    SSN: "[SSN]",
    IP_ADDRESS: "[IP]",
}
# When two findings overlap, the one kept is the first by: kind (a secret hides more
# than the personal data it may contain, e.g. a password before the `@` of a URL),
# then the longer span, then the label, the narrowest format first: `123-45-6789` is
# a valid SSN and a valid US phone number, `40.159.91.207` an IP address and a phone.
_KIND_RANK: dict[str, int] = {"secret": 0, "pii": 1}
_LABEL_RANK = {
    label: rank for rank, label in enumerate((PAYMENT_CARD, IBAN, SSN, IP_ADDRESS, EMAIL, PHONE))
}


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
    return _replace(text, detections, lambda found: f"[REDACTED:{found.kind}]")


def readable_marker(found: Detection) -> str:
    """The placeholder readable redaction puts in place of `found`: `[EMAIL]`,
    `[PHONE]`, `[CARD]`, `[IBAN]`, `[SSN]`, `[IP]` for personal data, `[SECRET]` for
    any credential, `[<KIND>]` otherwise."""
    if found.kind == "pii":
        return _READABLE_PII.get(found.detail, "[PII]")
    return f"[{found.kind.upper()}]"


def redact_readable(text: str, detections: Sequence[Detection]) -> str:
    """`text` with each detection replaced by a placeholder naming what was there
    (`readable_marker`), so the rest still reads naturally: `mail [EMAIL] or call
    [PHONE]`. Overlapping spans are merged into one placeholder (named after the first)."""
    return _replace(text, detections, readable_marker)


def without_overlaps(detections: Iterable[Detection]) -> list[Detection]:
    """The detections that do not overlap a preferred one (see `_KIND_RANK`), in text
    order, so that each character of a text is claimed by one finding at most."""
    starts: list[int] = []  # of the kept detections, in text order (they never overlap)
    kept: list[Detection] = []
    for found in sorted(detections, key=_preference):
        at = bisect.bisect_left(starts, found.start)
        if (at > 0 and kept[at - 1].end > found.start) or (
            at < len(kept) and kept[at].start < found.end
        ):
            continue
        starts.insert(at, found.start)
        kept.insert(at, found)
    return kept


def _preference(found: Detection) -> tuple[int, int, int, int]:
    return (
        _KIND_RANK.get(found.kind, len(_KIND_RANK)),
        found.start - found.end,
        _LABEL_RANK.get(found.detail, len(_LABEL_RANK)),
        found.start,
    )


def _replace(text: str, detections: Sequence[Detection], marker: Callable[[Detection], str]) -> str:
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
        parts.append(marker(found))
        position = end
    parts.append(text[position:])
    return "".join(parts)
