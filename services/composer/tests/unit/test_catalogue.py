"""Resolving references against a packs folder: found, not found (id, version,
channel), invalid, and the re-scan that picks up edits."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from vasini_chassis.testing.waiting import eventually
from vasini_composer.adapters.packs_folder import (
    CatalogueWatcher,
    PacksFolder,
    folder_signature,
    scan_folder,
)
from vasini_composer.domain.errors import CatalogueUnavailable, PackInvalid, PackNotFound
from vasini_composer.domain.reference import parse_reference
from vasini_packs import load_pack, pack_digest

PACKS = Path(__file__).resolve().parents[4] / "packs"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "packs"
    for name in ("_shared", "bench-echo", "senior-python-dev"):
        shutil.copytree(PACKS / name, root / name)
    return root


def copy_pack(root: Path, name: str, pack_id: str, version: str = "1.0.0") -> Path:
    """A copy of bench-echo in `root/name` declaring `pack_id` and `version`."""
    target = root / name
    shutil.copytree(PACKS / "bench-echo", target)
    edit(target / "profession-pack.yaml", "pack_id: bench-echo", f"pack_id: {pack_id}")
    edit(target / "profession-pack.yaml", "version: 1.0.0", f"version: {version}")
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def break_soul(pack: Path) -> None:
    edit(pack / "SOUL.yaml", "verbosity: concise", "verbosity: chatty")


async def resolve(packs: PacksFolder, reference: str) -> tuple[str, str, str]:
    resolved = await packs.resolve(parse_reference(reference))
    return resolved.pack.pack_id, resolved.pack.version, resolved.digest


async def failure(packs: PacksFolder, reference: str) -> PackNotFound | PackInvalid:
    with pytest.raises((PackNotFound, PackInvalid)) as caught:
        await resolve(packs, reference)
    assert isinstance(caught.value, (PackNotFound, PackInvalid))
    return caught.value


@pytest.mark.parametrize(
    "reference",
    [
        "senior-python-dev",
        "senior-python-dev@1.0.0",
        "senior-python-dev:prod",
        "senior-python-dev:latest",
    ],
)
async def test_the_three_forms_resolve_to_the_digested_pack(folder: Path, reference: str) -> None:
    packs = PacksFolder(folder, recheck_s=60)

    pack_id, version, digest = await resolve(packs, reference)

    assert (pack_id, version) == ("senior-python-dev", "1.0.0")
    assert digest == pack_digest(load_pack(PACKS / "senior-python-dev"))


async def test_an_unknown_id_lists_the_known_packs(folder: Path) -> None:
    error = await failure(PacksFolder(folder, recheck_s=60), "no-such-pack")

    assert error.code == "PACK_NOT_FOUND"
    assert error.message == ("no pack `no-such-pack`; known packs: bench-echo, senior-python-dev")


async def test_a_wrong_version_names_the_known_version(folder: Path) -> None:
    error = await failure(PacksFolder(folder, recheck_s=60), "bench-echo@9.9.9")

    assert error.code == "PACK_NOT_FOUND"
    assert error.message == "pack `bench-echo` has no version 9.9.9; known versions: 1.0.0"


async def test_channels_other_than_prod_and_latest_are_unknown(folder: Path) -> None:
    error = await failure(PacksFolder(folder, recheck_s=60), "bench-echo:staging")

    assert error.code == "PACK_NOT_FOUND"
    assert error.message == (
        "pack `bench-echo` has no channel `staging`; "
        "known channels: prod (= 1.0.0), latest (= 1.0.0)"
    )


async def test_shared_roots_and_hidden_folders_are_not_packs(folder: Path) -> None:
    shutil.copytree(PACKS / "bench-echo", folder / ".hidden")
    (folder / "README.md").write_text("not a pack")

    assert set(scan_folder(folder).entries) == {"bench-echo", "senior-python-dev"}


async def test_an_invalid_pack_fails_with_its_first_problems(folder: Path) -> None:
    break_soul(folder / "bench-echo")
    packs = PacksFolder(folder, recheck_s=60)

    error = await failure(packs, "bench-echo")

    assert error.code == "PACK_INVALID"
    assert error.message.startswith("pack `bench-echo` is invalid, 1 problem(s): ")
    assert "bench-echo/SOUL.yaml:" in error.message  # file:line:column, packs-relative
    assert "soul.personality.verbosity" in error.message
    assert str(folder) not in error.message  # no server paths
    assert (await resolve(packs, "senior-python-dev"))[0] == "senior-python-dev"


async def test_an_invalid_pack_is_known_by_the_id_its_manifest_declares(folder: Path) -> None:
    pack = copy_pack(folder, "work-in-progress", "my-agent")
    break_soul(pack)

    error = await failure(PacksFolder(folder, recheck_s=60), "my-agent")

    assert error.code == "PACK_INVALID"
    assert "work-in-progress/SOUL.yaml:" in error.message


async def test_more_than_three_problems_are_counted_not_listed(folder: Path) -> None:
    soul = folder / "bench-echo" / "SOUL.yaml"
    edit(soul, "verbosity: concise", "verbosity: chatty\n  wordiness: 1\n  flair: 2\n  zest: 3")

    error = await failure(PacksFolder(folder, recheck_s=60), "bench-echo")

    assert error.code == "PACK_INVALID"
    assert "4 problem(s)" in error.message
    assert error.message.endswith("(and 1 more)")
    assert error.message.count("bench-echo/SOUL.yaml:") == 3


async def test_two_folders_with_one_id_make_that_id_invalid(folder: Path) -> None:
    copy_pack(folder, "bench-echo-copy", "bench-echo", version="2.0.0")

    error = await failure(PacksFolder(folder, recheck_s=60), "bench-echo")

    assert error.code == "PACK_INVALID"
    assert "declared by 2 folders (bench-echo, bench-echo-copy)" in error.message


async def test_an_edit_is_picked_up_once_the_recheck_interval_passed(folder: Path) -> None:
    clock = Clock()
    packs = PacksFolder(folder, recheck_s=5, clock=clock)
    first = await resolve(packs, "bench-echo")
    edit(folder / "bench-echo" / "profession-pack.yaml", "version: 1.0.0", "version: 1.1.0")

    clock.now = 4
    assert await resolve(packs, "bench-echo") == first  # not looked at again yet
    clock.now = 6
    pack_id, version, digest = await resolve(packs, "bench-echo")

    assert (pack_id, version) == ("bench-echo", "1.1.0")
    assert digest == pack_digest(load_pack(folder / "bench-echo")) != first[2]


async def test_a_new_pack_is_found_on_a_miss_without_waiting(folder: Path) -> None:
    packs = PacksFolder(folder, recheck_s=3_600, clock=Clock())
    await resolve(packs, "bench-echo")
    copy_pack(folder, "new-agent", "new-agent", version="0.1.0")

    assert (await resolve(packs, "new-agent@0.1.0"))[:2] == ("new-agent", "0.1.0")


async def test_a_pack_that_becomes_invalid_fails_after_the_rescan(folder: Path) -> None:
    clock = Clock()
    packs = PacksFolder(folder, recheck_s=1, clock=clock)
    await resolve(packs, "bench-echo")
    break_soul(folder / "bench-echo")
    clock.now = 2

    assert (await failure(packs, "bench-echo")).code == "PACK_INVALID"


async def test_unchanged_folders_are_not_scanned_again(folder: Path) -> None:
    clock = Clock()
    packs = PacksFolder(folder, recheck_s=1, clock=clock)
    assert await packs.refresh() is True  # the first scan
    clock.now = 2

    assert await packs.refresh() is False
    assert await packs.refresh(check_now=True) is False
    (folder / "bench-echo" / "NOTES.md").write_text("an edit")
    assert await packs.refresh(check_now=True) is True


def test_the_signature_changes_with_new_and_removed_files(folder: Path) -> None:
    before = folder_signature(folder)
    (folder / "bench-echo" / "extra.md").write_text("x")
    added = folder_signature(folder)
    (folder / "bench-echo" / "extra.md").unlink()

    assert added != before
    assert folder_signature(folder) != added


async def test_a_missing_folder_is_a_transient_error(tmp_path: Path) -> None:
    packs = PacksFolder(tmp_path / "gone", recheck_s=1)

    with pytest.raises(CatalogueUnavailable) as caught:
        await resolve(packs, "bench-echo")

    assert caught.value.code == "CATALOGUE_UNAVAILABLE"


async def test_the_watcher_logs_invalid_packs_with_their_problems(folder: Path) -> None:
    break_soul(folder / "bench-echo")
    packs = PacksFolder(folder, recheck_s=60)
    watcher = CatalogueWatcher(packs, recheck_s=60)

    with capture_logs() as logs:
        task = asyncio.create_task(watcher.run())
        await eventually(
            lambda: any(entry["event"] == "packs scanned" for entry in logs), what="the scan"
        )
        watcher.stop()
        await asyncio.wait_for(task, timeout=10)

    [invalid] = [entry for entry in logs if entry["log_level"] == "warning"]
    assert invalid["pack_id"] == "bench-echo"
    assert invalid["problems"][0]["where"].startswith("bench-echo/SOUL.yaml:")
    assert invalid["problems"][0]["fix"]
    [summary] = [entry for entry in logs if entry["event"] == "packs scanned"]
    assert (summary["valid"], summary["invalid"]) == (1, 1)
