"""What the composer knows: one snapshot of the packs, and how a reference resolves.

Until the registry publishes versions (mirrored from `pack.published` and
`release.changed`), the catalogue is built from a folder of packs: **one version per
pack id** (the version its manifest declares), served under both channels the
contracts name: `prod` (what a bare `id` means) and `latest`. So `id`, `id:prod` and
`id:latest` mean the folder's version, `id@1.2.3` must equal it exactly, and any other
channel (`staging`) is unknown until the registry's releases define it.

Resolution order: the pack id, then the channel, then validity (`PACK_INVALID`: the
version of an invalid pack is not trustworthy), then the version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vasini_composer.domain.errors import PackInvalid, PackNotFound
from vasini_composer.domain.reference import PackReference
from vasini_packs import ComposedPack

CHANNELS: tuple[str, ...] = ("prod", "latest")
"""Channels before the registry: both mean the one version in the packs folder."""
SHOWN_PROBLEMS = 3
SHOWN_IDS = 20


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem of an invalid pack: where (`file:line:column`, relative to the
    packs folder), what, and how to fix it."""

    where: str
    message: str
    fix: str = ""

    def render(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One pack of the catalogue: composed and digested, or its problems."""

    pack_id: str
    folder: str
    pack: ComposedPack | None = None
    digest: str | None = None
    issues: tuple[Issue, ...] = ()

    @property
    def valid(self) -> bool:
        return self.pack is not None and self.digest is not None


@dataclass(frozen=True, slots=True)
class Resolved:
    """A reference resolved to a valid pack version."""

    pack: ComposedPack
    digest: str


class Catalogue:
    """An immutable snapshot of the known packs, by pack id."""

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self._entries = dict(entries)

    @property
    def entries(self) -> Mapping[str, Entry]:
        return self._entries

    def resolve(self, reference: PackReference) -> Resolved:
        """The pack `reference` names, or `PackNotFound` / `PackInvalid` saying why not."""
        entry = self._entries.get(reference.pack_id)
        if entry is None:
            raise PackNotFound(f"no pack `{reference.pack_id}`; known packs: {self._known_ids()}")
        if reference.channel is not None and reference.channel not in CHANNELS:
            raise PackNotFound(
                f"pack `{entry.pack_id}` has no channel `{reference.channel}`; "
                f"known channels: {self._channels(entry)}"
            )
        if entry.pack is None or entry.digest is None:
            raise PackInvalid(_invalid_message(entry))
        if reference.version is not None and reference.version != entry.pack.version:
            raise PackNotFound(
                f"pack `{entry.pack_id}` has no version {reference.version}; "
                f"known versions: {entry.pack.version}"
            )
        return Resolved(entry.pack, entry.digest)

    def _known_ids(self) -> str:
        ids = sorted(self._entries)
        if not ids:
            return "none"
        shown = ", ".join(ids[:SHOWN_IDS])
        return shown if len(ids) <= SHOWN_IDS else f"{shown} (and {len(ids) - SHOWN_IDS} more)"

    @staticmethod
    def _channels(entry: Entry) -> str:
        if entry.pack is None:
            return ", ".join(CHANNELS)
        return ", ".join(f"{channel} (= {entry.pack.version})" for channel in CHANNELS)


def _invalid_message(entry: Entry) -> str:
    count = len(entry.issues)
    first = "; ".join(issue.render() for issue in entry.issues[:SHOWN_PROBLEMS])
    more = f" (and {count - SHOWN_PROBLEMS} more)" if count > SHOWN_PROBLEMS else ""
    return f"pack `{entry.pack_id}` is invalid, {count} problem(s): {first}{more}"
