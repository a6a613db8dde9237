"""file_manager's operations on an ordinary workspace: what the model gets back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles
from vasini_sandbox_runner.domain.sandbox import Execution, Limits, Outcome
from vasini_sandbox_runner.domain.tools import MAX_LIST_ENTRIES, BuiltinTools, ToolResult


class NoProcess:
    async def run(self, execution: Execution) -> Outcome:
        raise AssertionError(f"file_manager started {execution.argv}")


async def fm(workspace: Path, limits: Limits | None = None, **arguments: Any) -> ToolResult:
    tools = BuiltinTools(NoProcess(), ConfinedFiles())
    return await tools.call("file_manager", arguments, workspace, limits or Limits())


async def test_write_creates_folders_and_read_returns_the_text(tmp_path: Path) -> None:
    written = await fm(tmp_path, op="write", path="src/pkg/mod.py", content="print('hé')\n")
    again = await fm(tmp_path, op="write", path="/workspace/src/pkg/mod.py", content="x = 1\n")
    read = await fm(tmp_path, op="read", path="src/pkg/mod.py")

    assert written.output == "wrote 13 bytes to `src/pkg/mod.py` (new file)"
    assert again.output == "wrote 6 bytes to `src/pkg/mod.py`"
    assert (read.output, read.is_error, read.truncated) == ("x = 1\n", False, False)
    assert (tmp_path / "src" / "pkg" / "mod.py").read_text() == "x = 1\n"


async def test_read_is_capped_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("a" * 5000)

    result = await fm(tmp_path, Limits(max_output_bytes=1000), op="read", path="big.txt")

    assert result.truncated
    assert result.output == "a" * 1000 + "\n[truncated: showed the first 1000 of 5000 bytes]"


async def test_binary_files_are_described_not_dumped(tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02" * 10)

    result = await fm(tmp_path, op="read", path="blob.bin")

    assert result.output == "`blob.bin` is a binary file of 30 bytes; not shown"


async def test_read_of_a_folder_or_missing_file_explains(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()

    folder = await fm(tmp_path, op="read", path="docs")
    missing = await fm(tmp_path, op="read", path="nope/none.txt")
    root = await fm(tmp_path, op="read", path=".")

    assert folder.output == "`docs` is a folder; use op `list`"
    assert missing.output == "`nope/none.txt` does not exist"
    assert root.output == "op `read` needs a file path, not the workspace root"
    assert all(r.is_error for r in (folder, missing, root))


async def test_list_walks_the_tree_but_not_git_internals(tmp_path: Path) -> None:
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("12345")
    (tmp_path / "README").write_text("")

    result = await fm(tmp_path, op="list", path=".")
    sub = await fm(tmp_path, op="list", path="src")

    assert result.output.splitlines() == [
        ".git/ (not listed)",
        "README (0 bytes)",
        "src/",
        "src/a.py (5 bytes)",
    ]
    assert sub.output == "src/a.py (5 bytes)"


async def test_list_is_capped(tmp_path: Path) -> None:
    for index in range(MAX_LIST_ENTRIES + 5):
        (tmp_path / f"f{index:04}").write_text("")

    result = await fm(tmp_path, op="list", path=".")

    lines = result.output.splitlines()
    assert result.truncated
    assert len(lines) == MAX_LIST_ENTRIES + 1
    assert lines[-1] == f"[truncated: showed the first {MAX_LIST_ENTRIES} entries]"


async def test_search_finds_literal_text_with_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nx = os.getcwd()\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "b.py").write_text("# no match\nos.(\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("os.( in git internals\n")

    found = await fm(tmp_path, op="search", path=".", pattern="os.")
    literal = await fm(tmp_path, op="search", path=".", pattern="os.(")

    assert found.output.splitlines() == ["a.py:2: x = os.getcwd()", "lib/b.py:2: os.("]
    assert literal.output == "lib/b.py:2: os.("  # a literal, not a regex; .git is skipped


async def test_delete_removes_files_and_empty_folders_only(tmp_path: Path) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f.txt").write_text("x")

    not_empty = await fm(tmp_path, op="delete", path="d")
    file = await fm(tmp_path, op="delete", path="d/e/f.txt")
    folder = await fm(tmp_path, op="delete", path="d/e")
    root = await fm(tmp_path, op="delete", path="/workspace")

    assert not_empty.output == "`d` is a folder that is not empty; delete what it holds first"
    assert file.output == "deleted the file `d/e/f.txt`"
    assert folder.output == "deleted the empty folder `d/e`"
    assert root.is_error
    assert os.listdir(tmp_path) == ["d"]


@pytest.mark.parametrize("path", ["a.txt/b.txt", "a.txt/deeper/c.txt"])
async def test_write_below_a_file_is_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / "a.txt").write_text("keep")

    result = await fm(tmp_path, op="write", path=path, content="x")

    assert result.is_error
    assert "not a folder" in result.output
    assert (tmp_path / "a.txt").read_text() == "keep"
