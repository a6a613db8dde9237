"""References stay inside the pack folder or a shared root, symlinks included."""

from __future__ import annotations

from pathlib import Path

import pytest

from vasini_packs.confinement import resolve_reference
from vasini_packs.errors import Origin, PackInvalid

WHERE = Origin("profession-pack.yaml", 5, 9)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for folder in ("packs/demo/SKILLS", "packs/_shared/souls", "outside"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "packs/demo/SOUL.yaml").write_text("schema_version: '1.0'\n")
    (tmp_path / "packs/_shared/souls/base.yaml").write_text("schema_version: '1.0'\n")
    (tmp_path / "outside/secret.yaml").write_text("token: x\n")
    return tmp_path.resolve()


def refused(reference: str, relative_to: Path, roots: tuple[Path, ...]) -> str:
    with pytest.raises(PackInvalid) as caught:
        resolve_reference(reference, relative_to, roots, WHERE, "the pack folder")
    (problem,) = caught.value.problems
    assert problem.origin == WHERE
    assert "the pack folder" in problem.fix
    return problem.code


def test_reference_inside_the_pack_resolves(tree: Path) -> None:
    pack = tree / "packs/demo"

    assert resolve_reference("./SOUL.yaml", pack, (pack,), WHERE, "x") == pack / "SOUL.yaml"


def test_reference_into_a_shared_root_resolves_only_when_the_root_is_allowed(tree: Path) -> None:
    pack, shared = tree / "packs/demo", tree / "packs/_shared"
    reference = "../_shared/souls/base.yaml"

    assert resolve_reference(reference, pack, (pack, shared), WHERE, "x") == (
        shared / "souls/base.yaml"
    )
    assert refused(reference, pack, (pack,)) == "reference-escapes"


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("../../outside/secret.yaml", "reference-escapes"),
        ("SKILLS/../../../outside/secret.yaml", "reference-escapes"),
        ("/etc/passwd", "reference-absolute"),
        ("~/secret.yaml", "reference-absolute"),
        ("C:\\Windows\\win.ini", "reference-absolute"),
        ("", "reference-empty"),
        ("  ", "reference-empty"),
    ],
)
def test_escaping_references_are_refused(tree: Path, reference: str, code: str) -> None:
    pack = tree / "packs/demo"

    assert refused(reference, pack, (pack,)) == code


def test_symlink_leaving_the_root_is_refused(tree: Path) -> None:
    pack = tree / "packs/demo"
    (pack / "ROLE.yaml").symlink_to(tree / "outside/secret.yaml")
    (pack / "linked").symlink_to(tree / "outside")

    assert refused("ROLE.yaml", pack, (pack,)) == "reference-symlink-escape"
    assert refused("linked/secret.yaml", pack, (pack,)) == "reference-symlink-escape"


def test_symlink_staying_inside_the_root_is_followed(tree: Path) -> None:
    pack = tree / "packs/demo"
    (pack / "SOUL-link.yaml").symlink_to(pack / "SOUL.yaml")

    assert resolve_reference("SOUL-link.yaml", pack, (pack,), WHERE, "x") == pack / "SOUL.yaml"
