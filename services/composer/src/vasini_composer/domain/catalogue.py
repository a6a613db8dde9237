"""Resolving `pack`, `pack@version` and `pack:channel` against a folder of packs.

Until the registry publishes versions, the folder is the catalogue: one version per
pack, validated and digested when the folder is scanned, scanned again when any file
in it changes (checked at most every `rescan_s`). The folder's version serves the
channels `prod` (what a bare `pack` means) and `latest`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vasini_packs import MANIFEST_FILE, ComposedPack, Problem, check_pack, pack_digest

CHANNELS = ("prod", "latest")
_REFERENCE = re.compile(
    r"^(?P<pack>[a-z][a-z0-9-]*)(?:@(?P<version>\d+\.\d+\.\d+)|:(?P<channel>[a-z][a-z0-9-]*))?$"
)


class CompositionError(Exception):
    """The run cannot be composed; `code` is the stable error code (permanent)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Entry:
    """One pack folder: the composed pack and its digest, or why it is invalid."""

    folder: str
    pack: ComposedPack | None
    digest: str | None
    problems: tuple[Problem, ...]


class Catalogue:
    def __init__(
        self, folder: Path, rescan_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._folder = folder
        self._rescan_s = rescan_s
        self._clock = clock
        self._entries: dict[str, Entry] = {}
        self._signature: tuple[int, float] | None = None
        self._checked_at = float("-inf")

    def scan(self) -> list[Entry]:
        """Validate and digest every pack folder; returns the entries (for logging)."""
        entries: dict[str, Entry] = {}
        for manifest in sorted(self._folder.glob(f"*/{MANIFEST_FILE}")):
            folder = manifest.parent
            if folder.name.startswith("_"):
                continue
            report = check_pack(folder)
            pack = report.pack
            key = pack.pack_id if pack is not None else folder.name
            digest = pack_digest(pack) if pack is not None else None
            entries[key] = Entry(folder.name, pack, digest, report.problems)
        self._entries = entries
        self._signature = self._current_signature()
        self._checked_at = self._clock()
        return list(entries.values())

    def resolve(self, reference: str) -> tuple[ComposedPack, str]:
        """(pack, digest) for `reference`, or CompositionError."""
        self._refresh()
        match = _REFERENCE.match(reference)
        if match is None:
            raise CompositionError(
                "PACK_NOT_FOUND",
                f"`{reference}` is not a pack reference; use `pack`, `pack@1.2.3` or "
                "`pack:channel`",
            )
        entry = self._entries.get(match["pack"])
        if entry is None:
            known = ", ".join(sorted(self._entries)) or "none"
            raise CompositionError(
                "PACK_NOT_FOUND", f"no pack `{match['pack']}`; known packs: {known}"
            )
        if entry.pack is None or entry.digest is None:
            first = "; ".join(p.render().replace("\n", " ") for p in entry.problems[:3])
            raise CompositionError(
                "PACK_INVALID",
                f"pack `{match['pack']}` has {len(entry.problems)} problem(s): {first}",
            )
        if match["version"] and match["version"] != entry.pack.version:
            raise CompositionError(
                "PACK_NOT_FOUND",
                f"pack `{match['pack']}` has no version {match['version']}; "
                f"available: {entry.pack.version}",
            )
        if match["channel"] and match["channel"] not in CHANNELS:
            raise CompositionError(
                "PACK_NOT_FOUND",
                f"pack `{match['pack']}` has no channel `{match['channel']}`; "
                f"channels: {', '.join(CHANNELS)}",
            )
        return entry.pack, entry.digest

    def _refresh(self) -> None:
        if self._clock() - self._checked_at < self._rescan_s:
            return
        self._checked_at = self._clock()
        if self._current_signature() != self._signature:
            self.scan()

    def _current_signature(self) -> tuple[int, float]:
        files = [path for path in self._folder.rglob("*") if path.is_file()]
        newest = max((path.stat().st_mtime for path in files), default=0.0)
        return len(files), newest
