"""`git` in the workspace, run inside the bubblewrap sandbox with a fixed argv."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from vasini_sandbox_runner.adapters.bwrap import BwrapSandbox
from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles
from vasini_sandbox_runner.domain.sandbox import Limits
from vasini_sandbox_runner.domain.tools import GIT_AUTHOR, BuiltinTools, ToolResult


@pytest.fixture
def tools() -> BuiltinTools:
    return BuiltinTools(BwrapSandbox(), ConfinedFiles())


async def git(tools: BuiltinTools, workspace: Path, **arguments: Any) -> ToolResult:
    result = await tools.call("git", arguments, workspace, Limits())
    return result


async def test_init_add_commit_log_diff_round_trip(tools: BuiltinTools, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print(1)\n")

    init = await git(tools, tmp_path, op="init")
    add = await git(tools, tmp_path, op="add")
    status = await git(tools, tmp_path, op="status")
    commit = await git(tools, tmp_path, op="commit", message="-m first: add app\n\nbody")
    (tmp_path / "app.py").write_text("print(2)\n")
    diff = await git(tools, tmp_path, op="diff")
    await git(tools, tmp_path, op="add", paths=["app.py"])
    staged = await git(tools, tmp_path, op="diff", staged=True)
    second = await git(tools, tmp_path, op="commit", message="second", paths=["app.py"])
    log = await git(tools, tmp_path, op="log", max_count=5)
    one = await git(tools, tmp_path, op="log", max_count=1, paths=["app.py"])

    for result in (init, add, status, commit, diff, staged, second, log, one):
        assert not result.is_error, result.output
    assert "Initialized empty Git repository in /workspace/.git/" in init.output
    assert status.output == "## No commits yet on main\nA  app.py\n"
    assert "(root-commit)" in commit.output
    assert "-m first: add app" in commit.output  # a message is text, never a flag
    assert "-print(1)\n+print(2)" in diff.output
    assert "-print(1)\n+print(2)" in staged.output
    log_lines = log.output.splitlines()
    assert len(log_lines) == 4
    assert log_lines[0].endswith(GIT_AUTHOR[0])
    assert [log_lines[1].strip(), log_lines[3].strip()] == ["second", "-m first: add app"]
    assert one.output.splitlines()[1].strip() == "second"


async def test_commit_does_not_run_hooks(tools: BuiltinTools, tmp_path: Path) -> None:
    await git(tools, tmp_path, op="init")
    hooks = tmp_path / ".git" / "hooks"
    for name in ("pre-commit", "commit-msg", "post-commit", "prepare-commit-msg"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\ntouch /workspace/hook-ran-{name}\n")
        hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    (tmp_path / "a.txt").write_text("a")

    await git(tools, tmp_path, op="add")
    commit = await git(tools, tmp_path, op="commit", message="with hooks present")

    assert not commit.is_error, commit.output
    assert "with hooks present" in commit.output
    assert [name for name in os.listdir(tmp_path) if name.startswith("hook-ran")] == []


async def test_repository_config_cannot_reenable_hooks(tools: BuiltinTools, tmp_path: Path) -> None:
    await git(tools, tmp_path, op="init")
    (tmp_path / "myhooks").mkdir()
    hook = tmp_path / "myhooks" / "pre-commit"
    hook.write_text("#!/bin/sh\ntouch /workspace/hook-ran\n")
    hook.chmod(0o755)
    with (tmp_path / ".git" / "config").open("a") as config:
        config.write("[core]\n\thooksPath = /workspace/myhooks\n")
    (tmp_path / "a.txt").write_text("a")

    await git(tools, tmp_path, op="add", paths=["a.txt"])
    commit = await git(tools, tmp_path, op="commit", message="m")

    assert not commit.is_error, commit.output
    assert not (tmp_path / "hook-ran").exists()


async def test_git_uses_our_identity_not_the_workspace_config(
    tools: BuiltinTools, tmp_path: Path
) -> None:
    (tmp_path / ".gitconfig").write_text("[user]\n\tname = Mallory\n\temail = m@evil\n")
    await git(tools, tmp_path, op="init")
    await git(tools, tmp_path, op="add", paths=["/workspace/.gitconfig"])
    await git(tools, tmp_path, op="commit", message="m")

    log = await git(tools, tmp_path, op="log")

    assert GIT_AUTHOR[0] in log.output
    assert "Mallory" not in log.output


async def test_git_paths_are_literal_not_pathspec_magic(
    tools: BuiltinTools, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    await git(tools, tmp_path, op="init")

    added = await git(tools, tmp_path, op="add", paths=["*.txt"])
    status = await git(tools, tmp_path, op="status")

    assert added.is_error  # there is no file literally named `*.txt`
    assert "did not match any files" in added.output
    assert "A  a.txt" not in status.output


async def test_git_errors_come_back_to_the_model(tools: BuiltinTools, tmp_path: Path) -> None:
    result = await git(tools, tmp_path, op="status")

    assert result.is_error
    assert result.exit_code == 128
    assert "not a git repository" in result.output
