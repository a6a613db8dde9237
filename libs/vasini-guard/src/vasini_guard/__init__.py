"""vasini-guard: detectors policy runs on inputs and outputs.

These are **baseline** detectors: small curated patterns that catch the obvious cases
and never claim more. The prompt-firewall issue deepens them behind the same
`Detector` interface.
"""

from __future__ import annotations

from vasini_guard.detectors import (
    BaselineJailbreakDetector,
    BaselinePiiDetector,
    BaselineSecretDetector,
    Detection,
    Detector,
    normalise,
    redact,
)

__all__ = [
    "BaselineJailbreakDetector",
    "BaselinePiiDetector",
    "BaselineSecretDetector",
    "Detection",
    "Detector",
    "normalise",
    "redact",
]
