"""Host-side file access that cannot leave the workspace (the `file_manager` tool).

The workspace is written by untrusted code, so any name in it may be a symbolic link
to `/`, a hard link to a host file, or a FIFO. Paths are therefore never resolved by
string (realpath + prefix checks race and miss links): every open is relative to an
`O_PATH` descriptor of the workspace root.

- With Linux `openat2(2)` (5.6+), resolution uses `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`:
  the kernel refuses any step that would leave the root (absolute link targets, `..`
  above it, `/proc/<pid>/root`-style magic links). Links that stay inside are followed.
- Without it (ENOSYS, or EPERM from an older container seccomp profile), the path is
  walked one component at a time with `openat(O_NOFOLLOW)`: *every* symbolic link is
  refused, even one pointing inside the workspace.

Regular files with more than one hard link are refused for read, write and delete: a
hard link made inside the workspace may name a file outside it. Opens use O_NONBLOCK
and only regular files are read or written, so a FIFO cannot hang the runner. Walking
(`list`, `search`, quota usage) goes through directory descriptors opened with
O_NOFOLLOW and never enters a link; `.git` folders are counted but not listed or
searched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import platform
import stat
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from vasini_sandbox_runner.domain.workspace import (
    FileAnswer,
    Parts,
    Quota,
    Usage,
    WorkspaceRefused,
    shown,
)

_SYS_OPENAT2 = {"x86_64": 437, "aarch64": 437, "arm64": 437}
_RESOLVE_NO_MAGICLINKS = 0x02
_RESOLVE_BENEATH = 0x08
_CLOEXEC = os.O_CLOEXEC
MAX_DEPTH = 64  # deeper folders are not walked (nor counted by the quota)
SEARCH_MAX_FILE_BYTES = 1024 * 1024  # larger files are skipped by `search`
_SEARCH_LINE_CHARS = 200
_SKIPPED_DIRS = frozenset({".git"})


class _OpenHow(ctypes.Structure):
    _fields_ = (
        ("flags", ctypes.c_uint64),
        ("mode", ctypes.c_uint64),
        ("resolve", ctypes.c_uint64),
    )


@cache
def _openat2_syscall() -> Callable[..., int] | None:
    """libc's `syscall`, if this host has openat2; probed once per process."""
    number = _SYS_OPENAT2.get(platform.machine())
    if number is None or not hasattr(os, "O_PATH"):
        return None
    call = ctypes.CDLL(None, use_errno=True).syscall
    call.restype = ctypes.c_long
    call.argtypes = (ctypes.c_long, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t)
    root = os.open("/", os.O_PATH | os.O_DIRECTORY | _CLOEXEC)
    try:
        how = _OpenHow(os.O_PATH | _CLOEXEC, 0, _RESOLVE_BENEATH)
        fd = call(number, root, b".", ctypes.byref(how), ctypes.sizeof(how))
    finally:
        os.close(root)
    if fd < 0:
        return None  # ENOSYS or a seccomp EPERM: use the component walk
    os.close(fd)
    return call


class ConfinedFiles:
    """`WorkspaceFiles` on the host filesystem. `openat2=False` forces the fallback
    walk (tests run every attack against both)."""

    def __init__(self, *, openat2: bool | None = None) -> None:
        available = _openat2_syscall() is not None
        if openat2 and not available:
            raise RuntimeError("openat2 is not available on this host")
        self._openat2 = available if openat2 is None else openat2

    def isolation(self) -> dict[str, object]:
        return {
            "kind": "confined-fs",
            "resolver": "openat2 RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS"
            if self._openat2
            else "openat O_NOFOLLOW walk (every symbolic link refused)",
            "hard_links": "refused",
        }

    # --- operations ---------------------------------------------------------------

    def read(self, workspace: Path, parts: Parts, max_bytes: int) -> FileAnswer:
        _not_root(parts, "read")
        with self._root(workspace) as root, self._file(root, parts, os.O_RDONLY) as fd:
            size = os.fstat(fd).st_size
            data = os.read(fd, max_bytes) if max_bytes else b""
        if b"\0" in data[:8192]:
            return FileAnswer(f"`{shown(parts)}` is a binary file of {size} bytes; not shown")
        text = data.decode(errors="replace")
        if size > len(data):
            text += f"\n[truncated: showed the first {len(data)} of {size} bytes]"
            return FileAnswer(text, truncated=True)
        return FileAnswer(text)

    def write(self, workspace: Path, parts: Parts, data: bytes, quota: Quota) -> FileAnswer:
        _not_root(parts, "write")
        folders = parts[:-1]
        with self._root(workspace) as root:
            usage = self._usage(root)
            missing = self._missing_folders(root, folders)
            fd = None if missing else self._existing(root, parts)
            new = fd is None
            try:
                old_size = 0 if fd is None else _regular_size(fd, parts)
                quota.admit(usage, add_bytes=len(data) - old_size, add_entries=missing + new)
                for depth in range(len(folders) - missing, len(folders)):
                    with self._dir(root, folders[:depth]) as parent:
                        os.mkdir(folders[depth], 0o755, dir_fd=parent)
                if fd is None:
                    # O_EXCL never follows a link in the last component.
                    fd = self._open(root, parts, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                os.ftruncate(fd, 0)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            except OSError as exc:
                raise _refused(exc, parts) from exc
            finally:
                if fd is not None:
                    os.close(fd)
        return FileAnswer(
            f"wrote {len(data)} bytes to `{shown(parts)}`{' (new file)' if new else ''}"
        )

    def listing(self, workspace: Path, parts: Parts, max_entries: int) -> FileAnswer:
        lines: list[str] = []
        with self._root(workspace) as root, self._dir(root, parts, os.O_RDONLY) as top:
            for rel, st, parent in _walk(top, parts):
                if len(lines) == max_entries:
                    lines.append(f"[truncated: showed the first {max_entries} entries]")
                    return FileAnswer("\n".join(lines), truncated=True)
                lines.append(_describe(rel, st, parent))
        return FileAnswer("\n".join(lines) if lines else f"`{shown(parts)}` is empty")

    def search(self, workspace: Path, parts: Parts, pattern: str, max_matches: int) -> FileAnswer:
        needle = pattern.encode()
        matches: list[str] = []
        skipped = 0
        with self._root(workspace) as root, self._dir(root, parts, os.O_RDONLY) as top:
            for rel, st, parent in _walk(top, parts):
                if not stat.S_ISREG(st.st_mode):
                    continue
                data = _searchable(parent, rel[-1], st)
                if data is None:
                    skipped += 1
                    continue
                for number, line in enumerate(data.split(b"\n"), start=1):
                    if needle not in line:
                        continue
                    if len(matches) == max_matches:
                        matches.append(f"[truncated: showed the first {max_matches} matches]")
                        return FileAnswer("\n".join(matches), truncated=True)
                    text = line.decode(errors="replace")[:_SEARCH_LINE_CHARS]
                    matches.append(f"{shown(rel)}:{number}: {text}")
        note = f"\n[{skipped} binary, hard-linked or large files skipped]" if skipped else ""
        return FileAnswer(("\n".join(matches) or f"no match for {pattern!r}") + note)

    def delete(self, workspace: Path, parts: Parts) -> FileAnswer:
        _not_root(parts, "delete")
        name = parts[-1]
        with self._root(workspace) as root, self._dir(root, parts[:-1]) as parent:
            try:
                st = os.stat(name, dir_fd=parent, follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    os.rmdir(name, dir_fd=parent)
                    return FileAnswer(f"deleted the empty folder `{shown(parts)}`")
                if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                    raise WorkspaceRefused(_hard_link(parts))
                # unlink removes the name only: a link's target is never touched.
                os.unlink(name, dir_fd=parent)
            except OSError as exc:
                raise _refused(exc, parts) from exc
        what = "the link" if stat.S_ISLNK(st.st_mode) else "the file"
        return FileAnswer(f"deleted {what} `{shown(parts)}`")

    def usage(self, workspace: Path) -> Usage:
        with self._root(workspace) as root:
            return self._usage(root)

    # --- resolution ---------------------------------------------------------------

    @contextlib.contextmanager
    def _root(self, workspace: Path) -> Iterator[int]:
        fd = os.open(workspace, os.O_PATH | os.O_DIRECTORY | _CLOEXEC)
        try:
            yield fd
        finally:
            os.close(fd)

    def _open(self, root: int, parts: Parts, flags: int, mode: int = 0) -> int:
        """`parts` opened beneath `root`, or OSError (kept for the caller to phrase)."""
        flags |= _CLOEXEC
        if not parts:
            return os.open(".", flags, dir_fd=root)
        if self._openat2:
            return _openat2(root, "/".join(parts), flags, mode)
        fd = os.dup(root)
        try:
            for name in parts[:-1]:
                step = os.open(
                    name, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC, dir_fd=fd
                )
                os.close(fd)
                fd = step
            return os.open(parts[-1], flags | os.O_NOFOLLOW, mode, dir_fd=fd)
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def _file(self, root: int, parts: Parts, flags: int) -> Iterator[int]:
        try:
            fd = self._open(root, parts, flags | os.O_NONBLOCK)
        except OSError as exc:
            raise _refused(exc, parts) from exc
        try:
            _regular_size(fd, parts)
            yield fd
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def _dir(self, root: int, parts: Parts, flags: int = os.O_PATH) -> Iterator[int]:
        try:
            fd = self._open(root, parts, flags | os.O_DIRECTORY)
        except OSError as exc:
            raise _refused(exc, parts) from exc
        try:
            yield fd
        finally:
            os.close(fd)

    def _existing(self, root: int, parts: Parts) -> int | None:
        """The file opened for writing, or None if there is none."""
        try:
            return self._open(root, parts, os.O_WRONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _refused(exc, parts) from exc

    def _missing_folders(self, root: int, folders: Parts) -> int:
        """How many of the folders leading to a path do not exist yet."""
        for depth in range(len(folders), 0, -1):
            try:
                os.close(self._open(root, folders[:depth], os.O_PATH | os.O_DIRECTORY))
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise _refused(exc, folders[:depth]) from exc
            return len(folders) - depth
        return len(folders)

    def _usage(self, root: int) -> Usage:
        size = entries = 0
        with self._dir(root, (), os.O_RDONLY) as top:
            for _rel, st, _parent in _walk(top, (), skip=frozenset()):
                entries += 1
                if stat.S_ISREG(st.st_mode):
                    size += st.st_size
        return Usage(size, entries)


def _openat2(root: int, path: str, flags: int, mode: int) -> int:
    call = _openat2_syscall()
    assert call is not None
    how = _OpenHow(flags, mode, _RESOLVE_BENEATH | _RESOLVE_NO_MAGICLINKS)
    fd = int(
        call(
            _SYS_OPENAT2[platform.machine()],
            root,
            path.encode(),
            ctypes.byref(how),
            ctypes.sizeof(how),
        )
    )
    if fd < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), path)
    return fd


def _walk(
    top: int, base: Parts, *, skip: frozenset[str] = _SKIPPED_DIRS, depth: int = 0
) -> Iterator[tuple[Parts, os.stat_result, int]]:
    """(path, lstat, descriptor of its folder) of every entry below `top`, sorted,
    depth first. Links are reported, never entered."""
    with os.scandir(top) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        rel = (*base, entry.name)
        try:
            st = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed while we walked
        yield rel, st, top
        if not stat.S_ISDIR(st.st_mode) or entry.name in skip or depth + 1 >= MAX_DEPTH:
            continue
        try:
            child = os.open(
                entry.name,
                os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC,
                dir_fd=top,
            )
        except OSError:
            continue  # replaced by a link or removed since the scan
        try:
            yield from _walk(child, rel, skip=skip, depth=depth + 1)
        finally:
            os.close(child)


def _searchable(parent: int, name: str, st: os.stat_result) -> bytes | None:
    """The file's bytes if `search` may look at them."""
    if st.st_nlink > 1 or st.st_size > SEARCH_MAX_FILE_BYTES:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC, dir_fd=parent)
    except OSError:
        return None
    try:
        if not os.path.samestat(st, os.fstat(fd)):
            return None  # swapped since the scan
        data = os.read(fd, SEARCH_MAX_FILE_BYTES)
    finally:
        os.close(fd)
    return None if b"\0" in data[:8192] else data


def _describe(rel: Parts, st: os.stat_result, parent: int) -> str:
    if stat.S_ISDIR(st.st_mode):
        hidden = " (not listed)" if rel[-1] in _SKIPPED_DIRS else ""
        return f"{shown(rel)}/{hidden}"
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(rel[-1], dir_fd=parent)
        except OSError:
            target = "?"
        return f"{shown(rel)} -> {target} (link, not followed)"
    if stat.S_ISREG(st.st_mode):
        links = f", {st.st_nlink} hard links: refused" if st.st_nlink > 1 else ""
        return f"{shown(rel)} ({st.st_size} bytes{links})"
    return f"{shown(rel)} (special file)"


def _regular_size(fd: int, parts: Parts) -> int:
    """The size of the open file, if it is a regular file with one name."""
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode):
        raise WorkspaceRefused(f"`{shown(parts)}` is a folder; use op `list`")
    if not stat.S_ISREG(st.st_mode):
        raise WorkspaceRefused(f"`{shown(parts)}` is not a regular file")
    if st.st_nlink > 1:
        raise WorkspaceRefused(_hard_link(parts))
    return st.st_size


def _hard_link(parts: Parts) -> str:
    return (
        f"`{shown(parts)}` has more than one hard link (it may be a file outside the "
        "workspace); refused"
    )


def _not_root(parts: Parts, op: str) -> None:
    if not parts:
        raise WorkspaceRefused(f"op `{op}` needs a file path, not the workspace root")


_REASONS = {
    errno.EXDEV: "leads outside the workspace (through a link or `..`); refused",
    errno.ELOOP: "goes through a symbolic link that may not be followed; refused",
    errno.ENOENT: "does not exist",
    errno.ENOTDIR: "has a part that is not a folder (or is a link to one; refused)",
    errno.EISDIR: "is a folder",
    errno.EEXIST: "exists as something that cannot be written (a link?)",
    errno.ENOTEMPTY: "is a folder that is not empty; delete what it holds first",
    errno.ENXIO: "is not a regular file",
    errno.EACCES: "is not accessible (permission denied)",
    errno.EPERM: "is not accessible (operation not permitted)",
    errno.ENAMETOOLONG: "is too long",
    errno.EFBIG: "would be larger than the file size limit",
    errno.ENOSPC: "cannot be written: the disk is full",
}


def _refused(exc: OSError, parts: Parts) -> WorkspaceRefused:
    reason = _REASONS.get(exc.errno or 0) or f"cannot be used ({exc.strerror})"
    return WorkspaceRefused(f"`{shown(parts)}` {reason}")
