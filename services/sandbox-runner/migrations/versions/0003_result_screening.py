"""Sandbox-runner v3: the audit keeps what the injection screening of a tool's result
found (verdict, score, reasons; never the text), when it flagged it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.migrations import target_schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("executions", sa.Column("screening", JSONB), schema=target_schema())
