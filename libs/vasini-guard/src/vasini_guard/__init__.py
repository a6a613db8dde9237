"""vasini-guard: the prompt firewall. Pure: no I/O, offline.

- `normalise`: text as detection reads it (NFKC, invisible and bidi characters
  removed, look-alikes folded) and its decoded views (base64, hex, URL, ROT13, ...).
- `injection`: jailbreak and prompt-injection detection from independent signals,
  combined into a score with `WARN_AT` / `BLOCK_AT` thresholds.
- `pii`, `credentials`: personal data and secrets, validated (Luhn, mod-97, SSN rules,
  libphonenumber), with readable redaction (`[EMAIL]`, `[CARD]`, `[SECRET]`, ...).
- `firewall`: one verdict (allow / warn / redact / block) on a text from all of them
  and the pack's GUARDRAILS; `vasini guard scan` is its command line.
"""

from __future__ import annotations

from vasini_guard.checksums import iban_valid, luhn_valid
from vasini_guard.credentials import SecretDetector
from vasini_guard.detection import (
    Detection,
    Detector,
    Kind,
    readable_marker,
    redact,
    redact_readable,
)
from vasini_guard.firewall import Finding, Firewall, ScanResult, scan
from vasini_guard.injection import BLOCK_AT, WARN_AT, Assessment, InjectionDetector
from vasini_guard.normalise import (
    DecodedView,
    decoded_views,
    normalise,
    normalise_with_offsets,
    skeleton,
    skeleton_with_offsets,
)
from vasini_guard.pii import PiiDetector
from vasini_guard.structured import redact_secrets

__all__ = [
    "BLOCK_AT",
    "WARN_AT",
    "Assessment",
    "DecodedView",
    "Detection",
    "Detector",
    "Finding",
    "Firewall",
    "InjectionDetector",
    "Kind",
    "PiiDetector",
    "ScanResult",
    "SecretDetector",
    "decoded_views",
    "iban_valid",
    "luhn_valid",
    "normalise",
    "normalise_with_offsets",
    "readable_marker",
    "redact",
    "redact_readable",
    "redact_secrets",
    "scan",
    "skeleton",
    "skeleton_with_offsets",
]
