"""file_manager and git arguments: paths the model writes, schemas, op-specific fields.
Nothing here may reach a process or the disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vasini_sandbox_runner.domain.sandbox import Execution, Limits, Outcome
from vasini_sandbox_runner.domain.tools import BuiltinTools, ToolArgumentsInvalid
from vasini_sandbox_runner.domain.workspace import (
    FileAnswer,
    Parts,
    Quota,
    Usage,
    WorkspaceRefused,
    workspace_path,
)


class NoProcess:
    async def run(self, execution: Execution) -> Outcome:
        raise AssertionError(f"ran {execution.argv}")


class NoDisk:
    """Any file operation reaching this is a failure."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"touched the disk through {name}")


class RecordingFiles:
    """Records which operation a valid call reaches (and with what path)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Parts]] = []

    def read(self, workspace: Path, parts: Parts, max_bytes: int) -> FileAnswer:
        self.calls.append(("read", parts))
        return FileAnswer("content")

    def write(self, workspace: Path, parts: Parts, data: bytes, quota: Quota) -> FileAnswer:
        self.calls.append(("write", parts))
        return FileAnswer("wrote")

    def listing(self, workspace: Path, parts: Parts, max_entries: int) -> FileAnswer:
        self.calls.append(("listing", parts))
        return FileAnswer("")

    def search(self, workspace: Path, parts: Parts, pattern: str, max_matches: int) -> FileAnswer:
        self.calls.append(("search", parts))
        return FileAnswer("")

    def delete(self, workspace: Path, parts: Parts) -> FileAnswer:
        self.calls.append(("delete", parts))
        return FileAnswer("")

    def usage(self, workspace: Path) -> Usage:
        return Usage(0, 0)

    def isolation(self) -> dict[str, object]:
        return {}


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("a/b.txt", ("a", "b.txt")),
        ("./a//b.txt/", ("a", "b.txt")),
        (".", ()),
        ("/workspace", ()),
        ("/workspace/src/x.py", ("src", "x.py")),
        ("a..b/..c", ("a..b", "..c")),
    ],
)
def test_workspace_paths_are_split_below_the_root(path: str, parts: Parts) -> None:
    assert workspace_path(path) == parts


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/etc/passwd", "is absolute"),
        ("/proc/self/root/etc/passwd", "is absolute"),
        ("/proc/1/environ", "is absolute"),
        ("/workspacex/a", "is absolute"),
        ("../secret", "uses `..`"),
        ("a/../../secret", "uses `..`"),
        ("/workspace/../etc", "uses `..`"),
        ("a\0b", "NUL"),
        ("x" * 2000, "limited to 1024"),
    ],
)
def test_escaping_paths_are_refused_with_a_reason(path: str, fragment: str) -> None:
    with pytest.raises(WorkspaceRefused, match=fragment):
        workspace_path(path)


@pytest.mark.parametrize(
    ("tool", "arguments", "fragment"),
    [
        ("file_manager", {"op": "read"}, "'path' is a required property"),
        ("file_manager", {"op": "chmod", "path": "a"}, "op"),
        ("file_manager", {"op": "write", "path": "a"}, "'content' is a required property"),
        ("file_manager", {"op": "search", "path": "."}, "'pattern' is a required property"),
        ("file_manager", {"op": "read", "path": "a", "content": "x"}, "`content` is only for"),
        ("file_manager", {"op": "list", "path": ".", "follow": True}, "follow"),
        ("git", {"op": "push"}, "op"),
        ("git", {"op": "commit"}, "'message' is a required property"),
        ("git", {"op": "status", "message": "m"}, "`message` is only for op commit"),
        ("git", {"op": "init", "paths": ["a"]}, "`paths` is only for"),
        ("git", {"op": "log", "args": ["-c", "core.pager=sh"]}, "args"),
        ("git", {"op": "log", "max_count": 0}, "max_count"),
        ("git", {"op": "add", "paths": [""]}, "paths/0"),
    ],
)
async def test_invalid_file_and_git_arguments_never_run(
    tool: str, arguments: dict[str, Any], fragment: str, tmp_path: Path
) -> None:
    tools = BuiltinTools(NoProcess(), NoDisk())

    with pytest.raises(ToolArgumentsInvalid, match=fragment):
        await tools.call(tool, arguments, tmp_path, Limits())


@pytest.mark.parametrize(
    "paths", [["--upload-pack=evil"], ["-c"], ["/etc"], ["../x"], ["/workspace/-rf"]]
)
async def test_git_paths_that_are_flags_or_escape_never_run(
    paths: list[str], tmp_path: Path
) -> None:
    result = await BuiltinTools(NoProcess(), NoDisk()).call(
        "git", {"op": "add", "paths": paths}, tmp_path, Limits()
    )

    assert result.is_error
    assert "may not start with `-`" in result.output or "workspace" in result.output


async def test_escaping_file_manager_path_is_an_error_result_before_any_disk_access(
    tmp_path: Path,
) -> None:
    result = await BuiltinTools(NoProcess(), NoDisk()).call(
        "file_manager", {"op": "read", "path": "/etc/shadow"}, tmp_path, Limits()
    )

    assert result.is_error
    assert "is absolute" in result.output


async def test_oversized_write_is_refused_before_the_disk(tmp_path: Path) -> None:
    result = await BuiltinTools(NoProcess(), NoDisk()).call(
        "file_manager",
        {"op": "write", "path": "big.txt", "content": "x" * 2000},
        tmp_path,
        Limits(max_file_bytes=1000),
    )

    assert result.is_error
    assert "over the 1000-byte limit of one write" in result.output


async def test_workspace_alias_reaches_the_same_file(tmp_path: Path) -> None:
    files = RecordingFiles()
    tools = BuiltinTools(NoProcess(), files)

    await tools.call("file_manager", {"op": "read", "path": "/workspace/a/b"}, tmp_path, Limits())
    await tools.call("file_manager", {"op": "delete", "path": "a/b"}, tmp_path, Limits())

    assert files.calls == [("read", ("a", "b")), ("delete", ("a", "b"))]


def test_quota_admits_growth_up_to_the_limit_and_not_beyond() -> None:
    quota = Quota(max_bytes=100, max_entries=3)

    quota.admit(Usage(60, 2), add_bytes=40, add_entries=1)
    quota.admit(Usage(500, 9), add_bytes=-10, add_entries=0)  # shrinking is always fine
    with pytest.raises(WorkspaceRefused, match="101 bytes, over its quota of 100"):
        quota.admit(Usage(60, 2), add_bytes=41, add_entries=0)
    with pytest.raises(WorkspaceRefused, match="4 files and folders, over its quota of 3"):
        quota.admit(Usage(60, 3), add_bytes=0, add_entries=1)


def test_quota_excess_names_what_is_over() -> None:
    quota = Quota(max_bytes=100, max_entries=3)

    assert quota.excess(Usage(100, 3)) is None
    assert quota.excess(Usage(101, 4)) == (
        "101 bytes (quota 100) and 4 files and folders (quota 3)"
    )
