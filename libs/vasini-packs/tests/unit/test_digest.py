"""The canonical digest: same content, same digest, anywhere; any meaningful change,
another digest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vasini_packs import ComposedPack, load_pack, pack_digest

from .pack_files import LAYER_FILES, baseline, write_pack

PACKS = Path(__file__).resolve().parents[4] / "packs"
REFERENCE = PACKS / "senior-python-dev"
# Published versions are addressed by digest: if this changes while bench-echo did not,
# the canonical form changed and DIGEST_DOMAIN needs a new version.
BENCH_ECHO_DIGEST = "sha256:4ddac9c944acfdc57dfd7889b619956441b8e50eee1ca859b958abe79e15e38e"


def digest_of(folder: Path) -> str:
    return pack_digest(load_pack(folder))


def test_digest_is_stable_across_processes_and_hash_seeds() -> None:
    script = (
        "import sys; from pathlib import Path; from vasini_packs import load_pack, pack_digest;"
        "print(pack_digest(load_pack(Path(sys.argv[1]))))"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(REFERENCE)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("0", "1", "4242")
    }

    assert digests == {digest_of(REFERENCE)}


def test_digest_of_an_unchanged_pack_is_pinned() -> None:
    assert digest_of(PACKS / "bench-echo") == BENCH_ECHO_DIGEST


def test_layout_comments_key_order_and_file_names_do_not_change_the_digest(
    tmp_path: Path,
) -> None:
    original = digest_of(write_pack(tmp_path / "a", baseline()))
    folder = write_pack(tmp_path / "b", baseline())
    soul = yaml.safe_load((folder / "SOUL.yaml").read_text())
    (folder / "SOUL.yaml").write_text(
        "# a comment\n" + yaml.safe_dump(dict(reversed(soul.items())), default_flow_style=True)
    )
    (folder / "ROLE.yaml").rename(folder / "the-role.yaml")
    manifest = (folder / "profession-pack.yaml").read_text()
    (folder / "profession-pack.yaml").write_text(manifest.replace("./ROLE.yaml", "./the-role.yaml"))
    (folder / "SKILLS" / "chart.md").write_text(
        (folder / "SKILLS" / "chart.md").read_text().replace("Draw it.\n", "Draw it.   \r\n\r\n")
    )

    assert digest_of(folder) == original


def test_inline_layer_and_explicit_defaults_give_the_same_digest(tmp_path: Path) -> None:
    original = digest_of(write_pack(tmp_path / "a", baseline()))
    pack = baseline()
    pack["tools"]["available"][1]["risk_level"] = "medium"
    pack["guardrails"] = {"schema_version": "1.0", "input": {"max_length": 50000}}
    folder = write_pack(tmp_path / "b", pack)
    manifest = yaml.safe_load((folder / "profession-pack.yaml").read_text())
    manifest["memory"] = yaml.safe_load((folder / LAYER_FILES["memory"]).read_text())
    (folder / "profession-pack.yaml").write_text(yaml.safe_dump(manifest))

    assert digest_of(folder) == original


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["soul"]["principles"].__setitem__(0, "Cite your sources"),
        lambda p: p["soul"]["principles"].reverse(),
        lambda p: p["manifest"].__setitem__("version", "0.1.1"),
        lambda p: p["tools"]["available"][1]["sandbox"].__setitem__("timeout", "31s"),
        lambda p: p["role"].__setitem__("backstory", "New."),
        lambda p: p.pop("workflow"),
    ],
)
def test_meaningful_changes_change_the_digest(tmp_path: Path, change: object) -> None:
    original = digest_of(write_pack(tmp_path / "a", baseline()))
    pack = baseline()
    change(pack)  # type: ignore[operator]

    assert digest_of(write_pack(tmp_path / "b", pack)) != original


def test_skill_body_changes_change_the_digest(tmp_path: Path) -> None:
    original = digest_of(write_pack(tmp_path / "a", baseline()))
    folder = write_pack(tmp_path / "b", baseline())
    path = folder / "SKILLS" / "chart.md"
    path.write_text(path.read_text().replace("Draw it.", "Draw it twice."))

    assert digest_of(folder) != original


def test_copy_of_a_pack_elsewhere_has_the_same_digest(tmp_path: Path) -> None:
    shutil.copytree(REFERENCE.parent, tmp_path / "packs", symlinks=True)

    assert digest_of(tmp_path / "packs" / REFERENCE.name) == digest_of(REFERENCE)


@pytest.mark.parametrize("name", ["senior-python-dev", "data-analyst", "support-engineer"])
def test_config_round_trip_keeps_the_pack_and_its_digest(name: str) -> None:
    pack = load_pack(PACKS / name)
    config = json.loads(json.dumps(pack.to_config()))  # as it travels in an event

    again = ComposedPack.from_config(config)

    assert again == pack
    assert pack_digest(again) == pack_digest(pack)
