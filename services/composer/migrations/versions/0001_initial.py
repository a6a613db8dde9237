"""Composer v1: messaging tables and the audit of what each run was composed from.

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
        "compositions",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("requested", sa.Text, nullable=False),
        sa.Column("pack_id", sa.Text),
        sa.Column("version", sa.Text),
        sa.Column("digest", sa.Text),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        schema=target_schema(),
    )
    enable_rls("compositions")
