"""Policy's tables (created by `migrations/`): both tenant-owned, under RLS."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Identity, MetaData, Text, Uuid, func
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.db.tables import tenant_table

metadata = MetaData()

admitted_runs = tenant_table(
    "admitted_runs",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("pack", JSONB, nullable=False),
    Column("session_id", Text),
    Column("guardrails", JSONB, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)

audit = tenant_table(
    "audit",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("run_id", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("rules", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("event_id", Uuid),
    Column("findings", JSONB, nullable=False, server_default="[]"),
    Column("reason", Text),
)
