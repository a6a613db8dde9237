"""Keeping every reference of a pack inside the folders it may read.

A reference is resolved against the folder of the file that holds it and must land,
after every symlink is followed, inside one of the allowed roots. The check is on the
real path, so `../../etc/passwd`, `/etc/passwd` and `SOUL.yaml -> /etc/passwd` are all
refused the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PureWindowsPath

from vasini_packs.errors import Origin, PackInvalid, Problem


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def resolve_reference(
    reference: str, relative_to: Path, roots: Sequence[Path], where: Origin, what: str
) -> Path:
    """The real path `reference` names, or `PackInvalid` if it leaves `roots`.

    `roots` must already be resolved; `what` names them in the message ("the pack
    folder", "the pack folder or a shared root").
    """
    if not reference.strip() or "\x00" in reference:
        raise _refuse(
            "reference-empty", "the reference is empty", f"name a file inside {what}", where
        )
    if reference.startswith(("/", "\\", "~")) or PureWindowsPath(reference).drive:
        raise _refuse(
            "reference-absolute",
            f"`{reference}` is an absolute path",
            f"write a path relative to this file, inside {what}",
            where,
        )
    lexical = Path(os.path.normpath(relative_to / reference))
    real = lexical.resolve()
    if any(real.is_relative_to(root) for root in roots):
        return real
    if any(lexical.is_relative_to(root) for root in roots):
        raise _refuse(
            "reference-symlink-escape",
            f"`{reference}` is a symlink to {real}, outside {what}",
            f"copy the file into {what} instead of linking to it",
            where,
        )
    raise _refuse(
        "reference-escapes",
        f"`{reference}` points outside {what}",
        f"keep referenced files inside {what}",
        where,
    )


def _refuse(code: str, message: str, fix: str, where: Origin) -> PackInvalid:
    return PackInvalid((Problem(code=code, message=message, fix=fix, origin=where),))
