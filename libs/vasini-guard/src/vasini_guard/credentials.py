"""Baseline secret detection: credentials in well-known formats."""

from __future__ import annotations

import re

from vasini_guard.detection import Detection

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern))
    for label, pattern in (
        ("api key", r"(?<![\w-])sk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}"),
        ("api key", r"(?<![\w-])[sr]k_live_[A-Za-z0-9]{16,}"),
        ("aws access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
        ("github token", r"\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{50,}"),
        ("slack token", r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
        (
            "private key",
            r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED |PGP )?PRIVATE KEY"
            r"(?: BLOCK)?-----",
        ),
    )
)


class BaselineSecretDetector:
    """API keys and tokens by their well-known prefixes (`sk-`, `sk_live_`, `AKIA`,
    `ghp_`/`github_pat_`, `xoxb-`) and the header of PEM private keys. A baseline: a
    secret without a recognisable prefix (a random password) is not found."""

    name = "baseline-secret"

    def detect(self, text: str) -> list[Detection]:
        return [
            Detection("secret", match.start(), match.end(), label)
            for label, pattern in _PATTERNS
            for match in pattern.finditer(text)
        ]
