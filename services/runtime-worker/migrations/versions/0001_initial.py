"""Runtime-worker v1: messaging tables, runs (tenant-owned, RLS) and the run queue.

The queue holds only ids, tenants and leases: replicas claim work from it without
knowing the tenant first, so it cannot be tenant-filtered; the run itself can.

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


def _stamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    schema = target_schema()
    create_messaging_tables_v1()
    op.create_table(
        "runs",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("pack", JSONB, nullable=False),
        sa.Column("config", JSONB, nullable=False),
        sa.Column("tier", sa.Text, nullable=False),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("session_id", sa.Text),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("traceparent", sa.Text),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("messages", JSONB, nullable=False),
        sa.Column("input_tokens", sa.Integer, nullable=False),
        sa.Column("output_tokens", sa.Integer, nullable=False),
        sa.Column("delta_seq", sa.Integer, nullable=False),
        sa.Column("cancel_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("cancel_reason", sa.Text),
        _stamp("created_at"),
        _stamp("updated_at"),
        schema=schema,
    )
    enable_rls("runs")
    op.create_table(
        "run_queue",
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.String(128), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.Text),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        schema=schema,
    )
    op.create_index("ix_run_queue_ready", "run_queue", ["ready_at"], schema=schema)
