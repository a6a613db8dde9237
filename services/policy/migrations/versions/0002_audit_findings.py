"""Policy v2: the audit says what was found (kinds and labels, never values), why a
run was blocked, and which event led to the decision; at most one admission and one
output decision per run.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.migrations import target_schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    schema = target_schema()
    op.add_column("audit", sa.Column("event_id", sa.Uuid), schema=schema)
    op.add_column(
        "audit",
        sa.Column("findings", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        schema=schema,
    )
    op.add_column("audit", sa.Column("reason", sa.Text), schema=schema)
    op.create_index("ix_audit_run_id", "audit", ["run_id"], schema=schema)
    op.create_index(
        "ux_audit_run_decision",
        "audit",
        ["tenant_id", "run_id", "stage"],
        unique=True,
        schema=schema,
        postgresql_where=sa.text("stage IN ('admission', 'output')"),
    )
