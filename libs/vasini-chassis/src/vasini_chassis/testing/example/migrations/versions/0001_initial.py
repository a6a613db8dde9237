"""Chassis messaging tables and the example's effects table (tenant-owned, RLS).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vasini_chassis.migrations import create_messaging_tables_v1, enable_rls, target_schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table(
        "effects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        schema=target_schema(),
    )
    enable_rls("effects")
