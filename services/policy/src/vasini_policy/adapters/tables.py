"""Policy's tables (created by `migrations/`): all tenant-owned, under RLS."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    MetaData,
    Text,
    Uuid,
    func,
)
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
    Column("tools", JSONB),
    Column("risk_level", Text),
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
    Column("call_id", Text),
)

tool_calls = tenant_table(
    "tool_calls",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("call_id", Text, primary_key=True),
    Column("tool_id", Text, nullable=False),
    Column("step", Integer, nullable=False),
    Column("decision", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("approval_id", Text, unique=True),
    Column("authorization", JSONB),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("decided_at", DateTime(timezone=True)),
)
