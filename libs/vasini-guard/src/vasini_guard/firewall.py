"""The prompt firewall: one verdict on a text from every detector and the pack's rules.

`scan(text, direction=..., guardrails=...)` runs the injection/jailbreak detector and
the personal-data and credential detectors and decides:

- without guardrails (both directions): an attack the injection detector blocks
  blocks the text; personal data and credentials are reported (`warn`), the same as a
  pack whose `pii_detection` is enabled without an `action`;
- with the pack's GUARDRAILS, on input: the injection detector runs when
  `input.jailbreak_detection` is true, personal data and credentials are looked for
  when `input.pii_detection.enabled` and acted on with its `action` (warn by default);
- on output: personal data and credentials are redacted when `output.pii_check`.

The verdict is the strongest action taken: block > redact > warn > allow. `sanitized`
is the text with every personal datum and credential found replaced by a readable
placeholder (`[EMAIL]`, `[CARD]`, `[SECRET]`, ...) when the verdict is `redact` or
`block` (a blocked text must not be passed on, but may be logged), and the text as
given otherwise. Length limits, sanitization and disclaimers are not the firewall's:
they change the text rather than judge it, and policy applies them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from vasini_guard.credentials import SecretDetector
from vasini_guard.detection import Detection, Detector, redact_readable, without_overlaps
from vasini_guard.injection import InjectionDetector
from vasini_guard.pii import PiiDetector
from vasini_packs.models import Guardrails

Verdict = Literal["allow", "warn", "redact", "block"]
Direction = Literal["input", "output"]
FindingKind = Literal["jailbreak", "injection", "pii", "secret"]

_STRENGTH: dict[Verdict, int] = {"allow": 0, "warn": 1, "redact": 2, "block": 3}
_ATTACK_ACTIONS: dict[str, Verdict] = {"allow": "allow", "warn": "warn", "block": "block"}


@dataclass(frozen=True, slots=True)
class Finding:
    """Something found in the text: what (`kind`, and its `type` such as `email` or
    `instruction override`), where (`[start, end)` of the scanned text), and the action
    the firewall took on it. Never the value itself."""

    kind: FindingKind
    type: str
    start: int
    end: int
    action: Verdict


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The firewall's decision on one text (see the module docstring). `score` is the
    injection detector's risk in [0, 1] (0.0 when it did not run): personal data and
    credentials are validated, so they are findings rather than scores. `reasons` are
    short sentences for people, never quoting the text."""

    verdict: Verdict
    score: float
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]
    sanitized: str


class InjectionAssessment(Protocol):
    """An injection detector's judgement of a text: a risk `score` in [0, 1], a
    `verdict` (`allow`, `warn` or `block`), `reasons` for people and the `detections`
    behind them (kind `jailbreak` or `injection`, spans in the assessed text)."""

    @property
    def score(self) -> float: ...

    @property
    def verdict(self) -> str: ...

    @property
    def reasons(self) -> Sequence[str]: ...

    @property
    def detections(self) -> Sequence[Detection]: ...


class InjectionAssessor(Protocol):
    """What the firewall needs from an injection/jailbreak detector."""

    def assess(self, text: str) -> InjectionAssessment: ...


@dataclass(frozen=True, slots=True)
class _Rules:
    """What a scan does: run the injection detector or not, and the action on
    personal data and credentials (None: do not look for them)."""

    injection: bool
    sensitive: Verdict | None


class Firewall:
    """The detectors a scan runs; `scan` is this with the default ones."""

    def __init__(
        self,
        injection: InjectionAssessor | None = None,
        pii: Detector | None = None,
        secrets: Detector | None = None,
    ) -> None:
        self._injection = injection or InjectionDetector()
        self._sensitive: tuple[Detector, ...] = (pii or PiiDetector(), secrets or SecretDetector())

    def scan(
        self, text: str, *, direction: Direction, guardrails: Guardrails | None = None
    ) -> ScanResult:
        rules = _rules(direction, guardrails)
        verdict: Verdict = "allow"
        score = 0.0
        findings: list[Finding] = []
        reasons: list[str] = []
        if rules.injection:
            assessment = self._injection.assess(text)
            verdict = _attack_action(assessment.verdict)
            score = assessment.score
            findings += [
                Finding(_attack_kind(d), d.detail, d.start, d.end, verdict)
                for d in assessment.detections
            ]
            reasons += assessment.reasons
        sensitive: list[Detection] = []
        if rules.sensitive is not None:
            sensitive = without_overlaps(
                found for detector in self._sensitive for found in detector.detect(text)
            )
            findings += [
                Finding(_sensitive_kind(d), d.detail, d.start, d.end, rules.sensitive)
                for d in sensitive
            ]
            reasons += sorted({f"{d.kind}: {d.detail}" for d in sensitive})
            if sensitive and _STRENGTH[rules.sensitive] > _STRENGTH[verdict]:
                verdict = rules.sensitive
        sanitized = redact_readable(text, sensitive) if verdict in ("redact", "block") else text
        findings.sort(key=lambda f: (f.start, f.end, f.type))
        return ScanResult(verdict, score, tuple(reasons), tuple(findings), sanitized)


@functools.cache
def _default() -> Firewall:
    return Firewall()  # built on first use, not at import


def scan(text: str, *, direction: Direction, guardrails: Guardrails | None = None) -> ScanResult:
    """`Firewall().scan` with the default detectors (see the module docstring)."""
    return _default().scan(text, direction=direction, guardrails=guardrails)


def _rules(direction: Direction, guardrails: Guardrails | None) -> _Rules:
    if guardrails is None:
        return _Rules(injection=True, sensitive="warn")
    if direction == "output":
        return _Rules(injection=False, sensitive="redact" if guardrails.output.pii_check else None)
    pii = guardrails.input.pii_detection
    return _Rules(
        injection=bool(guardrails.input.jailbreak_detection),
        sensitive=(pii.action or "warn") if pii is not None and pii.enabled else None,
    )


def _attack_action(verdict: str) -> Verdict:
    """The injection detector's verdict as the firewall's (anything unknown warns)."""
    return _ATTACK_ACTIONS.get(verdict, "warn")


def _attack_kind(found: Detection) -> FindingKind:
    return "injection" if found.kind == "injection" else "jailbreak"


def _sensitive_kind(found: Detection) -> FindingKind:
    return "secret" if found.kind == "secret" else "pii"
