"""Baseline detectors: jailbreak phrases, PII (e-mail, phone, payment card with a Luhn
check, IBAN with its checksum) and secrets (well-known key formats)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["injection", "jailbreak", "pii", "secret", "other"]
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


@dataclass(frozen=True, slots=True)
class Detection:
    """A finding in a text: its kind, where it is, and a short label (never the value)."""

    kind: Kind
    start: int
    end: int
    detail: str


class Detector(Protocol):
    name: str

    def detect(self, text: str) -> list[Detection]: ...


def normalise(text: str) -> str:
    """What phrase matching looks at: NFKC (full-width and look-alike forms folded),
    invisible characters removed, case folded, whitespace runs collapsed."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    return re.sub(r"\s+", " ", folded)


def redact(text: str, detections: Sequence[Detection]) -> str:
    """`text` with each detection replaced by `[REDACTED:<kind>]` (overlaps merged)."""
    result, position = [], 0
    for found in sorted(detections, key=lambda d: d.start):
        if found.start < position:  # overlaps the previous one: widen it
            position = max(position, found.end)
            continue
        result.append(text[position : found.start])
        result.append(f"[REDACTED:{found.kind}]")
        position = found.end
    result.append(text[position:])
    return "".join(result)


class BaselineJailbreakDetector:
    """Well-known instruction-override and role-play phrasings, matched on the
    normalised text. Spans refer to the normalised text (the input is blocked whole)."""

    name = "baseline-jailbreak"
    _PHRASES = re.compile(
        r"ignore (all |any |the )?(previous|prior|above|earlier) (instructions|prompts|rules)"
        r"|disregard (all |your |the )?(previous |prior )?(instructions|rules|guidelines)"
        r"|you are now (dan|in developer mode|unrestricted|jailbroken)"
        r"|\bdo anything now\b"
        r"|developer mode (enabled|on)"
        r"|(reveal|print|show|repeat) (me )?(your|the) (system|hidden) (prompt|instructions)"
        r"|pretend (that )?you have no (rules|restrictions|guidelines)"
    )

    def detect(self, text: str) -> list[Detection]:
        normal = normalise(text)
        return [
            Detection("jailbreak", m.start(), m.end(), "instruction override")
            for m in self._PHRASES.finditer(normal)
        ]


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


class BaselinePiiDetector:
    """E-mail addresses, phone numbers in international form, payment card numbers
    that pass the Luhn check, IBANs that pass their checksum."""

    name = "baseline-pii"
    _EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
    _PHONE = re.compile(
        r"(?<![\w+])\+\d{1,3}[ .-]?(\(\d{1,4}\)[ .-]?)?\d{2,4}([ .-]?\d{2,4}){1,4}\b"
    )
    _CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
    _IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")

    def detect(self, text: str) -> list[Detection]:
        found = [Detection("pii", m.start(), m.end(), "email") for m in self._EMAIL.finditer(text)]
        found += [Detection("pii", m.start(), m.end(), "phone") for m in self._PHONE.finditer(text)]
        for match in self._CARD.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if 13 <= len(digits) <= 19 and _luhn(digits):
                found.append(Detection("pii", match.start(), match.end(), "payment card"))
        for match in self._IBAN.finditer(text):
            if _iban_valid(match.group()):
                found.append(Detection("pii", match.start(), match.end(), "iban"))
        return found


class BaselineSecretDetector:
    """Credentials in well-known formats (API keys, tokens, private key blocks)."""

    name = "baseline-secret"
    _SECRETS = re.compile(
        r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"
        r"|\bAKIA[0-9A-Z]{16}\b"
        r"|\bgh[pousr]_[A-Za-z0-9]{36,}\b"
        r"|\bxox[abpr]-[A-Za-z0-9-]{10,}"
        r"|-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"
    )

    def detect(self, text: str) -> list[Detection]:
        return [
            Detection("secret", m.start(), m.end(), "credential")
            for m in self._SECRETS.finditer(text)
        ]
