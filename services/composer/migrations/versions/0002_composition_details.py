"""Composer: the event each composition answered and, for failed runs, the message.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vasini_chassis.migrations import target_schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    schema = target_schema()
    op.add_column("compositions", sa.Column("event_id", sa.Uuid), schema=schema)
    op.add_column("compositions", sa.Column("message", sa.Text), schema=schema)
