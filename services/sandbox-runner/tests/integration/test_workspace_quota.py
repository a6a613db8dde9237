"""Workspace quotas: writes that would pass them are refused, processes that pass them
anyway get it reported."""

from __future__ import annotations

import os
from pathlib import Path

from vasini_sandbox_runner.adapters.bwrap import BwrapSandbox
from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles
from vasini_sandbox_runner.domain.sandbox import Limits
from vasini_sandbox_runner.domain.tools import BuiltinTools


def tools() -> BuiltinTools:
    return BuiltinTools(BwrapSandbox(), ConfinedFiles())


async def test_write_over_the_byte_quota_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "existing.bin").write_bytes(b"x" * 600)
    limits = Limits(workspace_max_bytes=1000)

    refused = await tools().call(
        "file_manager", {"op": "write", "path": "new.txt", "content": "y" * 500}, tmp_path, limits
    )
    fits = await tools().call(
        "file_manager", {"op": "write", "path": "new.txt", "content": "y" * 400}, tmp_path, limits
    )

    assert refused.is_error
    assert refused.output == (
        "refused: the workspace would hold 1100 bytes, over its quota of 1000 bytes "
        "(it holds 600); delete files first"
    )
    assert not fits.is_error
    assert (tmp_path / "new.txt").read_text() == "y" * 400


async def test_overwrite_counts_only_the_growth(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("a" * 900)

    result = await tools().call(
        "file_manager",
        {"op": "write", "path": "f.txt", "content": "b" * 950},
        tmp_path,
        Limits(workspace_max_bytes=1000),
    )

    assert not result.is_error, result.output
    assert (tmp_path / "f.txt").read_text() == "b" * 950


async def test_file_count_quota_counts_new_folders_too(tmp_path: Path) -> None:
    (tmp_path / "one").write_text("")
    limits = Limits(workspace_max_files=3)

    refused = await tools().call(
        "file_manager", {"op": "write", "path": "a/b/c.txt", "content": ""}, tmp_path, limits
    )
    left_after_refusal = os.listdir(tmp_path)
    fits = await tools().call(
        "file_manager", {"op": "write", "path": "a/c.txt", "content": ""}, tmp_path, limits
    )

    assert refused.is_error
    assert "would hold 4 files and folders, over its quota of 3" in refused.output
    assert left_after_refusal == ["one"]  # not even the folders were made
    assert not fits.is_error
    assert (tmp_path / "a" / "c.txt").exists()


async def test_code_that_overfills_the_workspace_is_reported(tmp_path: Path) -> None:
    code = "for i in range(20):\n    open(f'f{i}', 'w').write('x' * 100)\nprint('wrote')"

    result = await tools().call(
        "code_executor",
        {"language": "python", "code": code},
        tmp_path,
        Limits(workspace_max_bytes=1000, workspace_max_files=10),
    )

    assert result.exit_code == 0
    assert result.is_error
    assert result.output.startswith("wrote\n")
    assert (
        "[workspace over its quota: 2000 bytes (quota 1000) and 20 files and folders "
        "(quota 10); writes are refused until files are deleted]"
    ) in result.output


async def test_code_within_the_quota_is_not_flagged(tmp_path: Path) -> None:
    result = await tools().call(
        "code_executor",
        {"language": "bash", "code": "echo hi > a.txt; cat a.txt"},
        tmp_path,
        Limits(workspace_max_bytes=1000, workspace_max_files=10),
    )

    assert (result.output, result.is_error) == ("hi\n", False)
