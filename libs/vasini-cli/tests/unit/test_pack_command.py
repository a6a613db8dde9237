"""`vasini pack validate|show|prompt|digest` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vasini_cli.main import main

REPO = Path(__file__).resolve().parents[4]
PACKS = REPO / "packs"
REFERENCE = PACKS / "senior-python-dev"


def shipped_packs() -> list[Path]:
    return sorted(p.parent for p in PACKS.glob("*/profession-pack.yaml"))


def test_every_shipped_pack_validates_through_the_glob(capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(PACKS.glob("*"))  # what the shell gives for `packs/*`

    code = main(["pack", "validate", *map(str, paths)])

    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{len(shipped_packs())} pack(s): {len(shipped_packs())} valid, 0 invalid" in out
    assert "skipped" in out
    assert "_shared" in out
    assert "README.md" in out
    assert {"senior-python-dev", "bench-echo"} <= {p.name for p in shipped_packs()}
    assert len(shipped_packs()) >= 4


def test_validate_reports_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "profession-pack.yaml").write_text(
        'schema_version: "1.0"\npack_id: Broken\nversion: 1\nrisk_level: extreme\n'
        "author: {name: x}\nrole: {file: ./ROLE.yaml}\n"
    )

    code = main(["pack", "validate", str(REFERENCE), str(broken)])

    out = capsys.readouterr().out
    assert code == 1
    assert "ok      " in out
    assert "invalid " in out
    assert "profession-pack.yaml:2:10: pack_id:" in out
    assert "profession-pack.yaml:4:13: risk_level:" in out
    assert "ROLE.yaml: does not exist" in out
    assert "fix:" in out
    assert "2 pack(s): 1 valid, 1 invalid" in out


def test_validate_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    code = main(["pack", "validate", "--json", str(REFERENCE), str(empty)])

    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (report["valid"], report["invalid"]) == (1, 1)
    good, bad = report["packs"]
    assert good["pack_id"] == "senior-python-dev"
    assert good["digest"].startswith("sha256:")
    assert bad["problems"][0]["code"] == "manifest-missing"
    assert set(bad["problems"][0]) == {"code", "file", "line", "column", "path", "message", "fix"}


def test_validate_with_nothing_to_validate_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pack", "validate", str(PACKS / "README.md")])

    assert code == 1
    assert "no pack folders" in capsys.readouterr().err


def test_validate_accepts_the_manifest_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "validate", str(REFERENCE / "profession-pack.yaml")]) == 0
    assert "senior-python-dev 1.0.0" in capsys.readouterr().out


def test_show_prints_resolved_layers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "show", str(REFERENCE)]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)

    assert shown["manifest"]["pack_id"] == "senior-python-dev"
    assert shown["soul"]["identity"]["name"] == "Architect"
    assert shown["guardrails"]["behavioral"]["max_autonomous_steps"] == 15
    assert [s["frontmatter"]["id"] for s in shown["skills"]] == ["code-review"]
    assert not {"soul", "role", "tools", "skills"} & set(shown["manifest"])


def test_prompt_and_digest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "prompt", str(REFERENCE)]) == 0
    prompt = capsys.readouterr().out
    assert main(["pack", "digest", str(REFERENCE)]) == 0
    digest = capsys.readouterr().out.strip()

    assert prompt.startswith("# Architect")
    assert digest.startswith("sha256:")
    assert len(digest) == len("sha256:") + 64


def test_show_of_invalid_pack_prints_problems_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pack", "show", str(tmp_path / "missing")]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "does not exist" in captured.err


def test_installed_command_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "profession-pack.yaml").write_bytes(b"\xff\xfe not yaml")

    done = subprocess.run(
        [sys.executable, "-m", "vasini_cli.main", "pack", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "not valid UTF-8" in done.stdout
