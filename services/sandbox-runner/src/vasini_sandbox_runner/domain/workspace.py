"""The run's workspace: how tools name files in it, and how much it may hold.

Paths from the model are relative to the workspace root; `/workspace/x` (what the
sandboxed processes see) is accepted as an alias of `x`. Absolute paths and `..` are
refused outright, before anything touches the disk, so the model gets a clear reason;
the host-side adapter then resolves what is left without following links out.

The quota counts the bytes of regular files and the number of entries (files,
folders, links) below the root. Writes that would exceed it are refused; a process
that exceeds it anyway (it only has RLIMIT_FSIZE per file) gets it reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from vasini_sandbox_runner.domain.sandbox import SandboxError

SANDBOX_ROOT = "/workspace"  # where the sandbox binds the workspace
MAX_PATH_CHARS = 1024


class WorkspaceRefused(SandboxError):
    """A file operation that may not happen; the message is for the model."""


class QuotaExceeded(WorkspaceRefused):
    pass


Parts = tuple[str, ...]  # a path as its components below the root; () is the root


def workspace_path(path: str) -> Parts:
    """The components of a model-given path, or WorkspaceRefused saying why not."""
    if "\0" in path:
        raise WorkspaceRefused("paths may not contain NUL characters")
    if len(path) > MAX_PATH_CHARS:
        raise WorkspaceRefused(f"paths are limited to {MAX_PATH_CHARS} characters")
    if path == SANDBOX_ROOT or path.startswith(SANDBOX_ROOT + "/"):
        path = path[len(SANDBOX_ROOT) :]
        path = path.lstrip("/")
    if path.startswith("/"):
        raise WorkspaceRefused(
            f"`{path}` is absolute; paths are relative to the workspace root "
            f"(e.g. `src/main.py`, or `{SANDBOX_ROOT}/src/main.py`)"
        )
    parts = tuple(p for p in path.split("/") if p not in ("", "."))
    if ".." in parts:
        raise WorkspaceRefused(f"`{path}` uses `..`; paths must stay inside the workspace")
    return parts


def shown(parts: Parts) -> str:
    """How a path is written back to the model."""
    return "/".join(parts) or "."


@dataclass(frozen=True, slots=True)
class Usage:
    bytes: int
    entries: int


@dataclass(frozen=True, slots=True)
class Quota:
    max_bytes: int
    max_entries: int

    def admit(self, usage: Usage, *, add_bytes: int, add_entries: int) -> None:
        """QuotaExceeded if growing `usage` by this much would pass the quota."""
        after = Usage(usage.bytes + add_bytes, usage.entries + add_entries)
        if add_bytes > 0 and after.bytes > self.max_bytes:
            raise QuotaExceeded(
                f"refused: the workspace would hold {after.bytes} bytes, over its quota of "
                f"{self.max_bytes} bytes (it holds {usage.bytes}); delete files first"
            )
        if add_entries > 0 and after.entries > self.max_entries:
            raise QuotaExceeded(
                f"refused: the workspace would hold {after.entries} files and folders, over "
                f"its quota of {self.max_entries}; delete some first"
            )

    def excess(self, usage: Usage) -> str | None:
        """What is over the quota, in words, or None."""
        over = []
        if usage.bytes > self.max_bytes:
            over.append(f"{usage.bytes} bytes (quota {self.max_bytes})")
        if usage.entries > self.max_entries:
            over.append(f"{usage.entries} files and folders (quota {self.max_entries})")
        return " and ".join(over) or None


@dataclass(frozen=True, slots=True)
class FileAnswer:
    """The text a file operation gives back to the model."""

    text: str
    truncated: bool = False


class WorkspaceFiles(Protocol):
    """Host-side file access confined to one workspace folder. Every method raises
    WorkspaceRefused (message for the model) instead of leaving the workspace."""

    def read(self, workspace: Path, parts: Parts, max_bytes: int) -> FileAnswer: ...

    def write(self, workspace: Path, parts: Parts, data: bytes, quota: Quota) -> FileAnswer: ...

    def listing(self, workspace: Path, parts: Parts, max_entries: int) -> FileAnswer: ...

    def search(
        self, workspace: Path, parts: Parts, pattern: str, max_matches: int
    ) -> FileAnswer: ...

    def delete(self, workspace: Path, parts: Parts) -> FileAnswer: ...

    def usage(self, workspace: Path) -> Usage: ...

    def isolation(self) -> dict[str, object]: ...
