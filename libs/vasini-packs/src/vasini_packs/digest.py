"""The canonical digest of a pack: the same content gives the same digest on every
machine and run; any change that reaches the agent gives another (ADR 0003)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from vasini_packs.composed import ComposedPack

DIGEST_DOMAIN = b"vasini-pack-digest/1\n"


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8: one byte string per value."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def pack_digest(pack: ComposedPack) -> str:
    """`sha256:<hex>` over the resolved pack (YAML layout and file names do not count)."""
    return "sha256:" + hashlib.sha256(DIGEST_DOMAIN + canonical_json(pack.resolved())).hexdigest()
