"""Resolving pack references against a folder of packs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vasini_composer.domain.catalogue import Catalogue, CompositionError
from vasini_packs import load_pack, pack_digest

PACKS = Path(__file__).resolve().parents[4] / "packs"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("_shared", "bench-echo", "senior-python-dev"):
        shutil.copytree(PACKS / name, tmp_path / name)
    return tmp_path


def code_of(catalogue: Catalogue, reference: str) -> str:
    with pytest.raises(CompositionError) as caught:
        catalogue.resolve(reference)
    assert caught.value.message
    return caught.value.code


@pytest.mark.parametrize(
    "reference", ["senior-python-dev", "senior-python-dev@1.0.0", "senior-python-dev:prod"]
)
def test_reference_forms_resolve_to_the_digested_pack(folder: Path, reference: str) -> None:
    catalogue = Catalogue(folder, rescan_s=60)
    catalogue.scan()

    pack, digest = catalogue.resolve(reference)

    assert pack.pack_id == "senior-python-dev"
    assert digest == pack_digest(load_pack(PACKS / "senior-python-dev"))


@pytest.mark.parametrize(
    "reference",
    ["nope", "senior-python-dev@9.9.9", "senior-python-dev:canary", "Bad Ref", "x@1", "_shared"],
)
def test_unknown_references_are_pack_not_found(folder: Path, reference: str) -> None:
    catalogue = Catalogue(folder, rescan_s=60)
    catalogue.scan()

    assert code_of(catalogue, reference) == "PACK_NOT_FOUND"


def test_an_invalid_pack_is_pack_invalid_with_its_problems(folder: Path) -> None:
    soul = folder / "bench-echo" / "SOUL.yaml"
    soul.write_text(soul.read_text().replace("concise", "chatty"))
    catalogue = Catalogue(folder, rescan_s=60)
    catalogue.scan()

    with pytest.raises(CompositionError) as caught:
        catalogue.resolve("bench-echo")

    assert caught.value.code == "PACK_INVALID"
    assert "SOUL.yaml" in caught.value.message


def test_edits_are_picked_up_after_the_rescan_interval(folder: Path) -> None:
    clock = Clock()
    catalogue = Catalogue(folder, rescan_s=5, clock=clock)
    catalogue.scan()
    manifest = folder / "bench-echo" / "profession-pack.yaml"
    manifest.write_text(manifest.read_text().replace("version: 1.0.0", "version: 1.1.0"))

    assert catalogue.resolve("bench-echo")[0].version == "1.0.0"  # not looked again yet
    clock.now = 6
    assert catalogue.resolve("bench-echo")[0].version == "1.1.0"
