"""Secrets out of structured data (tool arguments) before it is stored or shown.

A value is hidden when its key names a secret (`password`, `token`, `api_key`,
`authorization`, ...), and every string is also scanned with the secret detector, so
a key pasted into a free-text field is caught too.
"""

from __future__ import annotations

import re
from typing import Any

from vasini_guard.credentials import SecretDetector
from vasini_guard.detection import redact

HIDDEN = "[REDACTED:secret]"
_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api[-_]?key|authori[sz]ation|credential|cookie"
    r"|private[-_]?key",
    re.IGNORECASE,
)
_DETECTOR = SecretDetector()


def redact_secrets(value: Any) -> Any:
    """A copy of a JSON-like `value` with secret-named fields and detected secrets hidden."""
    if isinstance(value, dict):
        return {
            key: HIDDEN
            if isinstance(key, str) and _SECRET_KEY.search(key)
            else redact_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_secrets(item) for item in value]
    if isinstance(value, str):
        return redact(value, _DETECTOR.detect(value))
    return value
