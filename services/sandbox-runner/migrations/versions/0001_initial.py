"""Sandbox-runner v1: messaging tables; `executions`, the audit of every tool call
(tenant-owned, RLS), which also holds an authorized call's request until it has run;
and `execution_queue`, ids and leases only, from which replicas claim work without
knowing the tenant first (as the runtime's run queue).

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
        "executions",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("call_id", sa.Text, primary_key=True),
        sa.Column("tool_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("arguments", JSONB, nullable=False),
        sa.Column("request", JSONB),
        sa.Column("approval_id", sa.Text),
        sa.Column("traceparent", sa.Text),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("status", sa.Text),
        sa.Column("exit_code", sa.Integer),
        sa.Column("duration_ms", sa.Integer),
        sa.Column("result_summary", sa.Text),
        sa.Column("truncated", sa.Boolean),
        sa.Column("error", JSONB),
        sa.Column("isolation", sa.Text),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        schema=schema,
    )
    enable_rls("executions")
    op.create_table(
        "execution_queue",
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("call_id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.String(128), nullable=False),
        sa.Column(
            "queued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        schema=schema,
    )
