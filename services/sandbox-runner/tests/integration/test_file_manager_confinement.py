"""file_manager, attacked through the workspace: every link, `..`, absolute path and
hard link that names something outside must be refused, and the outside must stay
untouched. Each attack runs against both resolvers (openat2 and the O_NOFOLLOW walk)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles, _openat2_syscall
from vasini_sandbox_runner.domain.sandbox import Execution, Limits, Outcome
from vasini_sandbox_runner.domain.tools import BuiltinTools, ToolResult

SECRET = "TOP SECRET host data"
NEVER = "/tmp/vasini-test-should-never-exist"


class NoProcess:
    async def run(self, execution: Execution) -> Outcome:
        raise AssertionError(f"file_manager started {execution.argv}")


@dataclass
class Setup:
    tools: BuiltinTools
    workspace: Path
    outside: Path
    secret: Path
    openat2: bool

    async def fm(self, **arguments: Any) -> ToolResult:
        return await self.tools.call("file_manager", arguments, self.workspace, Limits())


@pytest.fixture(
    params=[
        pytest.param(
            True,
            id="openat2",
            marks=pytest.mark.skipif(_openat2_syscall() is None, reason="no openat2 here"),
        ),
        pytest.param(False, id="nofollow-walk"),
    ]
)
def box(request: pytest.FixtureRequest, tmp_path: Path) -> Setup:
    workspace = tmp_path / "workspace"
    outside = tmp_path / "outside"
    workspace.mkdir()
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(SECRET)
    tools = BuiltinTools(NoProcess(), ConfinedFiles(openat2=request.param))
    return Setup(tools, workspace, outside, secret, request.param)


def assert_refused(result: ToolResult, *fragments: str) -> None:
    assert result.is_error, result.output
    assert SECRET not in result.output
    assert "root:x:0" not in result.output
    for fragment in fragments:
        assert fragment in result.output


async def test_symlink_to_the_host_root_is_not_followed(box: Setup) -> None:
    (box.workspace / "root").symlink_to("/")
    through = "root/" + str(box.secret).lstrip("/")

    assert_refused(await box.fm(op="read", path=through), "`root")
    assert_refused(await box.fm(op="read", path="root/etc/passwd"))
    assert_refused(await box.fm(op="write", path=through, content="pwned"))
    assert box.secret.read_text() == SECRET


async def test_symlink_to_etc_is_refused_and_never_walked(box: Setup) -> None:
    (box.workspace / "etc").symlink_to("/etc")

    read = await box.fm(op="read", path="etc/passwd")
    listing = await box.fm(op="list", path=".")
    search = await box.fm(op="search", path=".", pattern="root:")
    listed_inside = await box.fm(op="list", path="etc")

    assert_refused(read, "refused")
    assert listing.output == "etc -> /etc (link, not followed)"
    assert search.output == "no match for 'root:'"
    assert_refused(listed_inside)


async def test_symlink_to_a_secret_file_is_refused_for_read_and_write(box: Setup) -> None:
    (box.workspace / "notes.txt").symlink_to(box.secret)

    assert_refused(await box.fm(op="read", path="notes.txt"), "`notes.txt`", "refused")
    assert_refused(await box.fm(op="write", path="notes.txt", content="overwritten"))
    assert_refused(await box.fm(op="search", path="notes.txt", pattern="SECRET"))
    assert box.secret.read_text() == SECRET


async def test_deleting_a_link_removes_the_link_never_its_target(box: Setup) -> None:
    (box.workspace / "notes.txt").symlink_to(box.secret)
    (box.workspace / "dir").symlink_to(box.outside, target_is_directory=True)

    first = await box.fm(op="delete", path="notes.txt")
    second = await box.fm(op="delete", path="dir")
    through = await box.fm(op="delete", path="dir/secret.txt")

    assert first.output == "deleted the link `notes.txt`"
    assert second.output == "deleted the link `dir`"
    assert through.is_error
    assert box.secret.read_text() == SECRET
    assert sorted(os.listdir(box.workspace)) == []


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("../outside/secret.txt", "uses `..`"),
        ("a/../../outside/secret.txt", "uses `..`"),
        ("/etc/passwd", "is absolute"),
        ("/proc/self/root/etc/passwd", "is absolute"),
        ("/proc/1/root/etc/passwd", "is absolute"),
        ("/proc/1/environ", "is absolute"),
        ("/proc/self/environ", "is absolute"),
    ],
)
async def test_dotdot_and_absolute_paths_are_refused(box: Setup, path: str, fragment: str) -> None:
    for op in ("read", "delete", "list"):
        assert_refused(await box.fm(op=op, path=path), fragment)
    assert_refused(await box.fm(op="write", path=path, content="x"), fragment)
    assert box.secret.read_text() == SECRET


async def test_the_secret_by_its_own_absolute_path_is_refused(box: Setup) -> None:
    assert_refused(await box.fm(op="read", path=str(box.secret)), "is absolute")
    assert_refused(await box.fm(op="delete", path=str(box.secret)), "is absolute")
    assert box.secret.exists()


async def test_symlinked_folder_in_the_middle_of_a_path_is_refused(box: Setup) -> None:
    (box.workspace / "src").mkdir()
    (box.workspace / "src" / "vendor").symlink_to(box.outside, target_is_directory=True)

    assert_refused(await box.fm(op="read", path="src/vendor/secret.txt"))
    assert_refused(await box.fm(op="write", path="src/vendor/planted.txt", content="x"))
    assert_refused(await box.fm(op="write", path="src/vendor/deeper/planted.txt", content="x"))
    assert_refused(await box.fm(op="delete", path="src/vendor/secret.txt"))
    assert_refused(await box.fm(op="search", path="src/vendor", pattern="SECRET"))
    assert sorted(os.listdir(box.outside)) == ["secret.txt"]
    assert box.secret.read_text() == SECRET


async def test_relative_symlink_climbing_out_is_refused(box: Setup) -> None:
    (box.workspace / "up").symlink_to("../outside", target_is_directory=True)
    (box.workspace / "sneaky").symlink_to("../outside/secret.txt")

    assert_refused(await box.fm(op="read", path="up/secret.txt"))
    assert_refused(await box.fm(op="read", path="sneaky"))
    assert_refused(await box.fm(op="write", path="up/new.txt", content="x"))
    assert not (box.outside / "new.txt").exists()


async def test_hard_link_to_an_outside_file_is_refused(box: Setup) -> None:
    os.link(box.secret, box.workspace / "copy.txt")

    read = await box.fm(op="read", path="copy.txt")
    write = await box.fm(op="write", path="copy.txt", content="overwritten")
    delete = await box.fm(op="delete", path="copy.txt")
    search = await box.fm(op="search", path=".", pattern="SECRET")

    for result in (read, write, delete):
        assert_refused(result, "more than one hard link")
    assert search.output.startswith("no match for 'SECRET'")
    assert "1 binary, hard-linked or large files skipped" in search.output
    assert box.secret.read_text() == SECRET
    assert (box.workspace / "copy.txt").exists()


async def test_dangling_link_cannot_create_a_file_outside(box: Setup) -> None:
    target = box.outside / "created-by-the-agent.txt"
    (box.workspace / "drop.txt").symlink_to(target)
    (box.workspace / "drop-abs").symlink_to(NEVER)

    assert_refused(await box.fm(op="write", path="drop.txt", content="planted"))
    assert_refused(await box.fm(op="write", path="drop-abs", content="planted"))
    assert not target.exists()
    assert NEVER.rpartition("/")[2] not in os.listdir("/tmp")


async def test_proc_magic_links_in_the_workspace_are_refused(box: Setup) -> None:
    (box.workspace / "proc-root").symlink_to("/proc/self/root")
    (box.workspace / "init-root").symlink_to("/proc/1/root")
    (box.workspace / "environ").symlink_to("/proc/self/environ")
    (box.workspace / "cwd").symlink_to("/proc/self/cwd")

    assert_refused(await box.fm(op="read", path="proc-root" + str(box.secret)))
    assert_refused(await box.fm(op="read", path="init-root/etc/passwd"))
    assert_refused(await box.fm(op="read", path="environ"))
    assert_refused(await box.fm(op="list", path="cwd"))


async def test_a_fifo_is_refused_instead_of_hanging_the_runner(box: Setup) -> None:
    os.mkfifo(box.workspace / "pipe")

    assert_refused(await box.fm(op="read", path="pipe"), "not a regular file")
    assert_refused(await box.fm(op="write", path="pipe", content="x"), "not a regular file")


async def test_links_inside_the_workspace_follow_the_resolver_rule(box: Setup) -> None:
    (box.workspace / "real.txt").write_text("inside")
    (box.workspace / "alias.txt").symlink_to("real.txt")

    result = await box.fm(op="read", path="alias.txt")

    if box.openat2:  # the kernel keeps resolution beneath the root: safe to follow
        assert (result.output, result.is_error) == ("inside", False)
    else:  # the walk cannot tell, so it refuses every link
        assert_refused(result, "symbolic link")
