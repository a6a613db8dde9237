"""Policy v3: tool-call authorization. Admitted runs keep the pack's TOOLS layer and
risk level; every decided call is one `tool_calls` row (at most one per run and call;
a call sent for approval keeps what to authorize once a person agrees); audit entries
name the call they are about.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.migrations import enable_rls, target_schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    schema = target_schema()
    op.add_column("admitted_runs", sa.Column("tools", JSONB), schema=schema)
    op.add_column("admitted_runs", sa.Column("risk_level", sa.Text), schema=schema)
    op.add_column("audit", sa.Column("call_id", sa.Text), schema=schema)
    op.create_table(
        "tool_calls",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("call_id", sa.Text, primary_key=True),
        sa.Column("tool_id", sa.Text, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("approval_id", sa.Text, unique=True),
        sa.Column("authorization", JSONB),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        schema=schema,
    )
    enable_rls("tool_calls")
