"""Policy's migrations only ever add (old and new code run side by side in a rollout)."""

from __future__ import annotations

from pathlib import Path

from vasini_chassis.migrations.expand_only import check_expand_only
from vasini_policy.app import MIGRATIONS


def test_migrations_are_expand_only() -> None:
    versions = MIGRATIONS / "versions"

    assert sorted(p.name for p in versions.glob("*.py"))[:2] == [
        "0001_initial.py",
        "0002_audit_findings.py",
    ]
    assert check_expand_only(Path(versions)) == []
