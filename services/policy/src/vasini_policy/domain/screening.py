"""Admission of inputs and screening of outputs at the level of the pack's GUARDRAILS.

Pure: a decision is a function of the guardrails and the text. Each decision lists
the rules that fired (for the audit) and never carries the sensitive text itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from vasini_guard import (
    BaselineJailbreakDetector,
    BaselinePiiDetector,
    BaselineSecretDetector,
    Detection,
    redact,
)
from vasini_packs.models import Guardrails

TRUNCATION_MARK = "\n[output truncated: it exceeded the pack's output.max_length]"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JAILBREAK = BaselineJailbreakDetector()
_PII = BaselinePiiDetector()
_SECRETS = BaselineSecretDetector()


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    action: str  # warn | redact | block
    detail: str


@dataclass(frozen=True, slots=True)
class Admission:
    """`blocked_because` set: the input is refused; else `text` is what the run gets."""

    text: str
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = ()
    blocked_because: str | None = None


@dataclass(frozen=True, slots=True)
class Screened:
    text: str
    redactions: tuple[str, ...] = ()
    rules: tuple[str, ...] = field(default_factory=tuple)


def admit(guardrails: Guardrails, text: str) -> Admission:
    rules = guardrails.input
    if len(text) > rules.max_length:
        return Admission(
            text,
            rules=("input.max_length",),
            blocked_because=f"the input is {len(text)} characters; this agent accepts at most "
            f"{rules.max_length}",
        )
    fired: list[str] = []
    if rules.sanitization:
        text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
        fired.append("input.sanitization")
    if rules.jailbreak_detection and _JAILBREAK.detect(text):
        return Admission(
            text,
            findings=(Finding("jailbreak", "block", "instruction override"),),
            rules=(*fired, "input.jailbreak_detection"),
            blocked_because="the input tries to override the agent's instructions",
        )
    findings: list[Finding] = []
    pii = rules.pii_detection
    if pii and pii.enabled:
        detections = _PII.detect(text) + _SECRETS.detect(text)
        action = pii.action or "warn"
        if detections:
            fired.append(f"input.pii_detection.{action}")
            labels = sorted({d.detail for d in detections})
            findings += [Finding(_kind(d), action, d.detail) for d in _unique(detections)]
            if action == "block":
                return Admission(
                    text,
                    findings=tuple(findings),
                    rules=tuple(fired),
                    blocked_because=f"the input contains personal data or secrets "
                    f"({', '.join(labels)})",
                )
            if action == "redact":
                text = redact(text, detections)
    return Admission(text, tuple(findings), tuple(fired))


def screen(guardrails: Guardrails, text: str) -> Screened:
    rules = guardrails.output
    redactions: list[str] = []
    fired: list[str] = []
    if rules.pii_check:
        detections = _PII.detect(text) + _SECRETS.detect(text)
        if detections:
            text = redact(text, detections)
            redactions += sorted({f"{_kind(d)}:{d.detail}" for d in detections})
            fired.append("output.pii_check")
    disclaimers = guardrails.behavioral.required_disclaimers or ()
    missing = [d for d in disclaimers if d not in text]
    tail = "\n\n" + "\n".join(missing) if missing else ""
    if len(text) + len(tail) > rules.max_length:
        # Cut the answer, not the disclaimers the pack requires.
        keep = max(rules.max_length - len(tail) - len(TRUNCATION_MARK), 0)
        text = text[:keep] + TRUNCATION_MARK
        redactions.append("truncated")
        fired.append("output.max_length")
    if missing:
        text += tail
        fired.append("behavioral.required_disclaimers")
    return Screened(text, tuple(redactions), tuple(fired))


def _kind(detection: Detection) -> str:
    return "secret" if detection.kind == "secret" else "pii"


def _unique(detections: list[Detection]) -> list[Detection]:
    seen: set[str] = set()
    kept = []
    for detection in detections:
        if detection.detail not in seen:
            seen.add(detection.detail)
            kept.append(detection)
    return kept
