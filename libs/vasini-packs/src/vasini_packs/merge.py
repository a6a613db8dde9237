"""The merge rule of pack format 1.0 (extends/override and chains of extends).

Mappings merge recursively, the override wins on scalars, lists are replaced (never
appended) and `null` is a value like any other. Inputs are never modified.
"""

from __future__ import annotations

from typing import Any


def deep_merge(base: Any, override: Any) -> Any:
    """`override` laid over `base`."""
    if not (isinstance(base, dict) and isinstance(override, dict)):
        return override
    merged = dict(base)
    for key, value in override.items():
        merged[key] = deep_merge(base[key], value) if key in base else value
    return merged
