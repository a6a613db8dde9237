"""Runtime-worker v2: tool calls. A run keeps the calls of the step it waits on;
answers (results, denials, approval progress) land in `tool_answers` (tenant-owned)
and poke the run's queue entry, which a save does not overwrite (see the store).

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
    op.add_column(
        "runs",
        sa.Column("calls", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        schema=schema,
    )
    op.add_column(
        "run_queue",
        sa.Column("poked", sa.Boolean, nullable=False, server_default=sa.false()),
        schema=schema,
    )
    op.create_table(
        "tool_answers",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("call_id", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("is_error", sa.Boolean, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        schema=schema,
    )
    enable_rls("tool_answers")
