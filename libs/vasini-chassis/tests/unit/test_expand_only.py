"""The expand-only check: migrations may add, never drop or rename."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vasini_chassis.migrations.expand_only import check_expand_only

REPO = Path(__file__).resolve().parents[4]


def _migration(tmp_path: Path, upgrade_body: str, downgrade_body: str = "pass") -> Path:
    source = textwrap.dedent(
        """
        from alembic import op
        import sqlalchemy as sa

        def upgrade() -> None:
        {up}

        def downgrade() -> None:
        {down}
        """
    ).format(up=textwrap.indent(upgrade_body, "    "), down=textwrap.indent(downgrade_body, "    "))
    (tmp_path / "0002_change.py").write_text(source)
    return tmp_path


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('op.drop_table("runs")', "op.drop_table is not expand-only"),
        ('op.drop_column("runs", "state")', "op.drop_column is not expand-only"),
        ('op.drop_index("ix_runs_state")', "op.drop_index is not expand-only"),
        ('op.rename_table("runs", "tasks")', "op.rename_table is not expand-only"),
        (
            'op.alter_column("runs", "state", new_column_name="status")',
            "alter_column renames a column",
        ),
        ('op.execute("ALTER TABLE runs DROP COLUMN state")', "SQL uses DROP"),
        ('op.execute("alter table runs rename column state to status")', "SQL uses RENAME"),
    ],
)
def test_expand_only_check_flags_destructive_upgrade_steps(
    tmp_path: Path, body: str, reason: str
) -> None:
    [violation] = check_expand_only(_migration(tmp_path, body))
    assert violation.reason == reason
    assert violation.line == 6
    assert str(violation).startswith(f"{tmp_path / '0002_change.py'}:6: ")


def test_expand_only_check_accepts_additive_upgrades_and_ignores_downgrade(
    tmp_path: Path,
) -> None:
    body = (
        'op.add_column("runs", sa.Column("note", sa.Text(), nullable=True))\n'
        'op.create_index("ix_runs_note", "runs", ["note"])\n'
        'op.alter_column("runs", "state", server_default="queued")'
    )
    down = 'op.drop_index("ix_runs_note")\nop.drop_column("runs", "note")'
    assert check_expand_only(_migration(tmp_path, body, down)) == []


def test_every_migration_in_the_workspace_is_expand_only() -> None:
    versions_dirs = sorted(REPO.glob("**/migrations/versions"))
    versions_dirs = [d for d in versions_dirs if ".venv" not in d.parts]
    assert versions_dirs, "the example service's migrations are found at least"
    violations = [v for d in versions_dirs for v in check_expand_only(d)]
    assert violations == []
