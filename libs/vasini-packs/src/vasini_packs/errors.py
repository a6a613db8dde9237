"""What can go wrong with a pack, said so that its author can fix it.

A `Problem` is one finding: the file, the YAML line and column when known, the JSON
path inside the layer, what is wrong and how to fix it. Tools collect every problem of
a pack before reporting (an author fixes ten typos in one pass, not ten).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value was written: a file and a 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a pack is invalid."""

    code: str
    message: str
    fix: str
    origin: Origin
    path: str = ""

    def render(self) -> str:
        where = self.origin.render()
        subject = f"{self.path}: " if self.path else ""
        return f"{where}: {subject}{self.message}\n    fix: {self.fix}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "file": self.origin.file,
            "line": self.origin.line,
            "column": self.origin.column,
            "path": self.path,
            "message": self.message,
            "fix": self.fix,
        }


class PackError(Exception):
    """Base of every error raised by vasini-packs. All of them are permanent: the
    content of the pack is wrong, retrying cannot help."""


class PackInvalid(PackError):
    """The pack has one or more problems; `problems` lists all of them."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        first = problems[0].render() if problems else "no problems"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")
