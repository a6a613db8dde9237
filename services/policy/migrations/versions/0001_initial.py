"""Policy v1: messaging tables, the runs policy admitted (what output screening needs)
and the audit of every decision. Both tenant-owned (RLS).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.migrations import create_messaging_tables_v1, enable_rls, target_schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    schema = target_schema()
    create_messaging_tables_v1()
    op.create_table(
        "admitted_runs",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("pack", JSONB, nullable=False),
        sa.Column("session_id", sa.Text),
        sa.Column("guardrails", JSONB, nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        schema=schema,
    )
    enable_rls("admitted_runs")
    op.create_table(
        "audit",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("rules", JSONB, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        schema=schema,
    )
    enable_rls("audit")
