"""Ingress v2: human approvals of tool calls. `approvals` is tenant-owned (RLS);
`approval_deadlines` holds only ids, tenants and expiry times, so the expiry sweeper
finds due approvals of every tenant without reading any tenant's data (as the
runtime's run queue does).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.migrations import enable_rls, target_schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    schema = target_schema()
    op.create_table(
        "approvals",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("approval_id", sa.Text, primary_key=True),
        sa.Column("run_id", sa.Text, nullable=False, index=True),
        sa.Column("call_id", sa.Text, nullable=False),
        sa.Column("tool_id", sa.Text, nullable=False),
        sa.Column("arguments", JSONB, nullable=False),
        sa.Column("risk", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        schema=schema,
    )
    op.create_index(
        "ix_approvals_state", "approvals", ["tenant_id", "state", "created_at"], schema=schema
    )
    enable_rls("approvals")
    op.create_table(
        "approval_deadlines",
        sa.Column("approval_id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.String(128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
        schema=schema,
    )
