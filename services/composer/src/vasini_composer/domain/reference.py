"""Pack references as clients write them: `id`, `id@version` or `id:channel`.

`id` follows the pack format (`^[a-z][a-z0-9-]*$`, at most 128 characters, as the
contracts' `PackId`), `version` is the pack's semantic version (`1.2.3`), `channel`
a lowercase name. Anything else is not a reference and fails as `PACK_NOT_FOUND`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vasini_composer.domain.errors import PackNotFound

_REFERENCE = re.compile(
    r"(?P<pack>[a-z][a-z0-9-]{0,127})"
    r"(?:@(?P<version>\d+\.\d+\.\d+)|:(?P<channel>[a-z][a-z0-9-]{0,63}))?"
)
SYNTAX = "`<pack>`, `<pack>@<version>` (e.g. `bench-echo@1.0.0`) or `<pack>:<channel>`"


@dataclass(frozen=True, slots=True)
class PackReference:
    """A parsed reference; at most one of `version` and `channel` is set."""

    text: str
    pack_id: str
    version: str | None = None
    channel: str | None = None


def parse_reference(text: str) -> PackReference:
    """The reference `text` spells, or `PackNotFound` explaining the syntax."""
    match = _REFERENCE.fullmatch(text)
    if match is None:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise PackNotFound(f"`{shown}` is not a pack reference; write {SYNTAX}")
    return PackReference(text, match["pack"], match["version"], match["channel"])
