"""Ingress v1: messaging tables, tenants and API keys, runs and their event log (RLS).

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


def _created_at() -> sa.Column[object]:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )


def upgrade() -> None:
    schema = target_schema()
    create_messaging_tables_v1()
    op.create_table(
        "tenants",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        _created_at(),
        schema=schema,
    )
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.Text, primary_key=True),
        sa.Column(
            "tenant_id", sa.Text, sa.ForeignKey(f"{schema}.tenants.tenant_id"), nullable=False
        ),
        sa.Column("secret_hash", sa.Text, nullable=False),
        _created_at(),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        schema=schema,
    )
    op.create_table(
        "runs",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("pack", sa.Text, nullable=False),
        sa.Column("pack_version", sa.Text),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("session_id", sa.Text),
        sa.Column("metadata", JSONB, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("output", sa.Text),
        sa.Column("usage", JSONB),
        sa.Column("steps", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", JSONB),
        sa.Column("idempotency_key", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
        _created_at(),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.UniqueConstraint("tenant_id", "idempotency_key", name="uq_runs_idempotency"),
        schema=schema,
    )
    op.create_table(
        "run_events",
        sa.Column("tenant_id", sa.String(128), nullable=False, index=True),
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("data", JSONB, nullable=False),
        _created_at(),
        schema=schema,
    )
    op.create_index("ix_run_events_run_seq", "run_events", ["run_id", "seq"], schema=schema)
    enable_rls("runs")
    enable_rls("run_events")
