"""The packs folder as the composer's `PackSource` (until the registry exists).

Every sub-folder is a pack, except `_`-prefixed ones (shared roots that packs
`extends:`) and hidden ones. A scan validates and digests each with `check_pack`;
invalid packs stay in the catalogue with their problems (a run that asks for one
fails as `PACK_INVALID`) and are logged, never fatal.

Change detection is cheap: the folder's signature is the number of entries under it
and the newest modification time among them (files and folders, so edits, new files,
deletions and renames all show). It is checked at most every `recheck_s` seconds, and
at once when a reference misses (so a pack copied in a moment ago is found), and the
folder is scanned again only when the signature changed. File-system work runs in a
thread, one scan at a time.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from vasini_chassis.logging import get_logger
from vasini_composer.domain.catalogue import CHANNELS, Catalogue, Entry, Issue, Resolved
from vasini_composer.domain.errors import CatalogueUnavailable, PackNotFound
from vasini_composer.domain.reference import PackReference
from vasini_packs import MANIFEST_FILE, PackError, Problem, check_pack, pack_digest
from vasini_packs.yaml_reader import read_yaml

log = get_logger(__name__)

Signature = tuple[int, int]
_PACK_ID = re.compile(r"[a-z][a-z0-9-]{0,127}")


def folder_signature(root: Path) -> Signature:
    """(entries under `root`, newest mtime in ns among them and `root` itself)."""
    try:
        newest = root.stat().st_mtime_ns
    except OSError as error:
        raise CatalogueUnavailable(f"the packs folder {root} cannot be read: {error}") from error
    count = 0
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            count += 1
            try:
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
            except OSError:  # a broken link, or gone since the listing
                continue
    return count, newest


def scan_folder(root: Path) -> Catalogue:
    """Validate and digest every pack folder under `root`."""
    try:
        folders = sorted(
            p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
        )
    except OSError as error:
        raise CatalogueUnavailable(f"the packs folder {root} cannot be read: {error}") from error
    real_root = root.resolve()
    by_id: dict[str, list[Entry]] = {}
    for folder in folders:
        entry = _entry(real_root, folder)
        by_id.setdefault(entry.pack_id, []).append(entry)
    return Catalogue({pack_id: _one(pack_id, same) for pack_id, same in by_id.items()})


def _entry(root: Path, folder: Path) -> Entry:
    try:
        report = check_pack(folder)
    except Exception as error:  # one unreadable pack must not hide the others
        issue = Issue(folder.name, f"the pack cannot be read: {error}")
        return Entry(folder.name, folder.name, issues=(issue,))
    pack = report.pack
    if pack is not None:
        return Entry(pack.pack_id, folder.name, pack, pack_digest(pack))
    issues = tuple(_issue(root, problem) for problem in report.problems)
    return Entry(_declared_id(folder) or folder.name, folder.name, issues=issues)


def _one(pack_id: str, entries: list[Entry]) -> Entry:
    """The entry of `pack_id`; two folders declaring one id make it invalid."""
    if len(entries) == 1:
        return entries[0]
    folders = ", ".join(entry.folder for entry in entries)
    issue = Issue(
        folders,
        f"pack id `{pack_id}` is declared by {len(entries)} folders ({folders}); the packs "
        "folder holds one version per pack",
        fix="give each folder its own pack_id, or remove the copies",
    )
    return Entry(pack_id, folders, issues=(issue,))


def _declared_id(folder: Path) -> str | None:
    """The `pack_id` the manifest of an invalid pack declares, when it can be read."""
    manifest = folder / MANIFEST_FILE
    try:
        data = read_yaml(manifest, manifest.name).data if manifest.is_file() else None
    except (PackError, OSError):
        return None
    declared = data.get("pack_id") if isinstance(data, dict) else None
    if isinstance(declared, str) and _PACK_ID.fullmatch(declared):
        return declared
    return None


def _issue(root: Path, problem: Problem) -> Issue:
    where = Path(problem.origin.file)
    if not where.is_absolute():
        where = Path.cwd() / where
    try:
        shown = where.relative_to(root).as_posix()
    except ValueError:
        shown = where.name
    if problem.origin.line is not None:
        shown += f":{problem.origin.line}:{problem.origin.column}"
    subject = f"{problem.path}: " if problem.path else ""
    return Issue(shown, subject + problem.message, problem.fix)


class PacksFolder:
    """The catalogue of a packs folder, kept current (see the module docstring)."""

    def __init__(
        self, root: Path, *, recheck_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._root = root
        self._recheck_s = recheck_s
        self._clock = clock
        self._catalogue: Catalogue | None = None
        self._signature: Signature | None = None
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def root(self) -> Path:
        return self._root

    async def resolve(self, reference: PackReference) -> Resolved:
        catalogue = await self.current()
        try:
            return catalogue.resolve(reference)
        except PackNotFound:
            if not await self.refresh(check_now=True):
                raise
            return (await self.current()).resolve(reference)

    async def current(self) -> Catalogue:
        """The catalogue, scanned on first use and re-checked when `recheck_s` passed."""
        await self.refresh()
        assert self._catalogue is not None
        return self._catalogue

    async def refresh(self, *, check_now: bool = False) -> bool:
        """Scan again if the folder changed (checked now, or when due); True if scanned."""
        async with self._lock:
            due = self._clock() - self._checked_at >= self._recheck_s
            if self._catalogue is not None and not (check_now or due):
                return False
            self._checked_at = self._clock()
            signature = await asyncio.to_thread(folder_signature, self._root)
            if self._catalogue is not None and signature == self._signature:
                return False
            catalogue = await asyncio.to_thread(scan_folder, self._root)
            self._catalogue, self._signature = catalogue, signature
        _log_scan(self._root, catalogue)
        return True


def _log_scan(root: Path, catalogue: Catalogue) -> None:
    entries = sorted(catalogue.entries.values(), key=lambda e: e.pack_id)
    for entry in entries:
        if entry.pack is not None:
            log.info(
                "pack ready",
                pack_id=entry.pack_id,
                version=entry.pack.version,
                digest=entry.digest,
                folder=entry.folder,
            )
        else:
            log.warning(
                "pack invalid; its runs fail with PACK_INVALID",
                pack_id=entry.pack_id,
                folder=entry.folder,
                problems=[
                    {"where": i.where, "message": i.message, "fix": i.fix} for i in entry.issues
                ],
            )
    valid = sum(1 for entry in entries if entry.valid)
    log.info(
        "packs scanned",
        packs_dir=str(root),
        valid=valid,
        invalid=len(entries) - valid,
        channels=list(CHANNELS),
    )


class CatalogueWatcher:
    """A service worker: scans the folder at start-up (logging every pack, invalid ones
    with their problems) and checks it for changes every `recheck_s` seconds, so edits
    are picked up (and logged) even while no run asks."""

    def __init__(self, folder: PacksFolder, *, recheck_s: float) -> None:
        self._folder = folder
        self._recheck_s = recheck_s
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._folder.refresh(check_now=True)
            except CatalogueUnavailable as error:
                log.error("packs folder unreadable", error=error.message)
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self._recheck_s)
            except TimeoutError:
                continue

    def stop(self) -> None:
        self._stopping.set()
