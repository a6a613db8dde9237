"""The expand-only rule: a migration's upgrade() may add, never DROP or RENAME.

Old and new code run side by side during a rollout, so a migration must keep every
object the previous release uses. This check reads migration files (it never imports
them): Alembic drop_*/rename operations, `alter_column(new_column_name=...)`, and SQL
text containing DROP or RENAME inside `upgrade()` are violations.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

_FORBIDDEN_OPS = re.compile(r"^(drop_\w+|rename_table|batch_alter_table)$")
_FORBIDDEN_SQL = re.compile(r"\b(DROP|RENAME)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Violation:
    file: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


def check_expand_only(versions_dir: Path) -> list[Violation]:
    violations: list[Violation] = []
    for path in sorted(versions_dir.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name == "upgrade":
                violations.extend(_check_upgrade(path, fn))
    return violations


def _check_upgrade(path: Path, fn: ast.FunctionDef) -> list[Violation]:
    found: list[Violation] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if _FORBIDDEN_OPS.match(name):
                found.append(Violation(path, node.lineno, f"op.{name} is not expand-only"))
            if name == "alter_column" and any(k.arg == "new_column_name" for k in node.keywords):
                found.append(Violation(path, node.lineno, "alter_column renames a column"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _FORBIDDEN_SQL.search(node.value)
            if match:
                found.append(Violation(path, node.lineno, f"SQL uses {match.group(1).upper()}"))
    return found
