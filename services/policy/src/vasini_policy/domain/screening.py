"""Admission of inputs and screening of outputs by the pack's GUARDRAILS.

Pure: a decision is a function of the guardrails and the text. Detection and the
warn/redact/block decision on what is found are the prompt firewall's
(`vasini_guard.firewall.scan`, which reads the same GUARDRAILS); policy adds the rules
that change the text rather than judge it (length, sanitization, disclaimers). A
decision names the rules that fired and what was found (kind and label, e.g.
`pii`/`email`) for the audit; it never carries the sensitive text itself.

Input (`admit`), in this order:
- `input.max_length`: longer inputs (counted in characters, as sent) are blocked.
- `input.sanitization`: line breaks normalised (CRLF and lone CR become LF), control
  characters other than LF and TAB removed (C0, DEL, C1), bidirectional override and
  isolate characters removed (they make text read differently than it is stored),
  then Unicode NFC.
- `input.jailbreak_detection`: the firewall's injection/jailbreak detector runs; an
  attack it blocks blocks the input (one it only warns about is recorded).
- `input.pii_detection`: personal data (e-mail, phone, payment card, IBAN, US SSN, IP
  address) and credentials (provider API keys and tokens, JWTs, private keys,
  passwords in URLs, random-looking values of secret-named keys) are acted on with
  the pack's `action`: `warn` (default) records findings and leaves the input as is,
  `redact` replaces each value by a placeholder naming it (`[EMAIL]`, `[PHONE]`,
  `[CARD]`, `[IBAN]`, `[SSN]`, `[IP]`, `[SECRET]`) so the agent still reads a
  sentence, `block` refuses the input.
  An input that is both an attack and holds personal data is blocked as an attack,
  and its findings list both.

Output (`screen`):
- `output.pii_check`: personal data and credentials are redacted with the same
  placeholders; `redactions` lists `<kind>:<label>` (e.g. `pii:email`), never the
  values.
- `behavioral.required_disclaimers`: each one missing from the answer is appended at
  the end, in the pack's order.
- `output.max_length`: a longer answer is cut and ends with `TRUNCATION_MARK`, and
  `truncated` is listed in `redactions`. The run still completes: the client gets the
  part that fits and is told it was cut, rather than losing the whole answer. The
  required disclaimers are kept after the cut (a disclaimer is never the part
  removed), so a pack whose disclaimers alone exceed the limit gets them whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from vasini_guard.detection import Kind
from vasini_guard.firewall import Finding as ScanFinding
from vasini_guard.firewall import scan
from vasini_packs.models import Guardrails

Action = Literal["warn", "redact", "block"]
TRUNCATION_MARK = "\n[output truncated: it exceeded the pack's output.max_length]"

_NEWLINES = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ATTACKS = frozenset({"jailbreak", "injection"})


@dataclass(frozen=True, slots=True)
class Finding:
    """What was found (detector family and label) and what policy did about it."""

    kind: Kind
    action: Action
    detail: str


@dataclass(frozen=True, slots=True)
class Admission:
    """`blocked_because` set: the input is refused (a plain sentence that never quotes
    the input); else `text` is the input the run gets."""

    text: str
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = ()
    blocked_because: str | None = None


@dataclass(frozen=True, slots=True)
class Screened:
    """The answer the client gets, what was removed from it, and why."""

    text: str
    redactions: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] = ()


def sanitize(text: str) -> str:
    """The `input.sanitization` transformation (see the module docstring)."""
    text = _CONTROL.sub("", _NEWLINES.sub("\n", text))
    return unicodedata.normalize("NFC", text)


def admit(guardrails: Guardrails, text: str) -> Admission:
    rules = guardrails.input
    if len(text) > rules.max_length:
        return Admission(
            text,
            rules=("input.max_length",),
            blocked_because=f"the input is {len(text)} characters long; this agent accepts "
            f"at most {rules.max_length}",
        )
    fired: list[str] = []
    if rules.sanitization:
        sanitized = sanitize(text)
        if sanitized != text:
            fired.append("input.sanitization")
        text = sanitized
    result = scan(text, direction="input", guardrails=guardrails)
    findings = _findings(result.findings)
    attacks = [f for f in result.findings if f.kind in _ATTACKS and f.action != "allow"]
    sensitive = [f for f in result.findings if f.kind not in _ATTACKS]
    if attacks:
        fired.append("input.jailbreak_detection")
    if sensitive:
        fired.append(f"input.pii_detection.{sensitive[0].action}")
    if any(f.action == "block" for f in attacks):
        return Admission(
            text,
            findings=findings,
            rules=tuple(fired),
            blocked_because="the input tries to override the agent's instructions "
            f"({_types(attacks)})",
        )
    if any(f.action == "block" for f in sensitive):
        return Admission(
            text,
            findings=findings,
            rules=tuple(fired),
            blocked_because="the input contains personal data or credentials "
            f"({_types(sensitive)}); this agent does not accept them",
        )
    return Admission(result.sanitized, findings, tuple(fired))


def screen(guardrails: Guardrails, text: str) -> Screened:
    rules = guardrails.output
    redactions: list[str] = []
    findings: tuple[Finding, ...] = ()
    fired: list[str] = []
    result = scan(text, direction="output", guardrails=guardrails)
    if result.findings:  # only `output.pii_check` looks at outputs
        text = result.sanitized
        findings = _findings(result.findings)
        redactions += [f"{f.kind}:{f.detail}" for f in findings]
        fired.append("output.pii_check")
    missing = [d for d in guardrails.behavioral.required_disclaimers or () if d not in text]
    tail = "\n\n" + "\n".join(missing) if missing else ""
    if len(text) + len(tail) > rules.max_length:
        keep = max(rules.max_length - len(tail) - len(TRUNCATION_MARK), 0)
        text = text[:keep] + TRUNCATION_MARK
        redactions.append("truncated")
        findings += (Finding("other", "redact", "truncated"),)
        fired.append("output.max_length")
    if missing:
        text += tail
        fired.append("behavioral.required_disclaimers")
    return Screened(text, tuple(redactions), findings, tuple(fired))


def _findings(found: Iterable[ScanFinding]) -> tuple[Finding, ...]:
    """One finding per (kind, action, label), in a stable order; values are never kept,
    nor what the firewall let pass (an attack it judged harmless)."""
    unique = {(f.kind, f.action, f.type) for f in found if f.action != "allow"}
    return tuple(Finding(kind, action, detail) for kind, action, detail in sorted(unique))


def _types(found: Iterable[ScanFinding]) -> str:
    return ", ".join(sorted({f.type for f in found}))
