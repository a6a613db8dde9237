"""vasini-guard: detectors policy runs on inputs and outputs. Pure: no I/O.

These are **baseline** detectors: small curated patterns that catch the obvious cases
and never claim more. The prompt-firewall issue deepens them behind the same
`Detector` interface.
"""

from __future__ import annotations

from vasini_guard.credentials import BaselineSecretDetector
from vasini_guard.detection import Detection, Detector, Kind, redact
from vasini_guard.jailbreak import BaselineJailbreakDetector
from vasini_guard.normalise import normalise, normalise_with_offsets
from vasini_guard.pii import BaselinePiiDetector, iban_valid, luhn_valid

__all__ = [
    "BaselineJailbreakDetector",
    "BaselinePiiDetector",
    "BaselineSecretDetector",
    "Detection",
    "Detector",
    "Kind",
    "iban_valid",
    "luhn_valid",
    "normalise",
    "normalise_with_offsets",
    "redact",
]
