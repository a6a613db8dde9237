"""Ingress tables. Runs, their event log and approvals are tenant-owned (RLS). Tenants and API
keys are platform data: a key is looked up *before* the tenant is known, so that
table cannot be tenant-filtered; it holds only hashes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.db.tables import tenant_table

metadata = MetaData()

tenants = Table(
    "tenants",
    metadata,
    Column("tenant_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", Text, primary_key=True),
    Column("tenant_id", Text, ForeignKey("tenants.tenant_id"), nullable=False),
    Column("secret_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
)

runs = tenant_table(
    "runs",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("pack", Text, nullable=False),
    Column("pack_version", Text),
    Column("input", Text, nullable=False),
    Column("session_id", Text),
    Column("metadata", JSONB, nullable=False),
    Column("state", Text, nullable=False),
    Column("output", Text),
    Column("usage", JSONB),
    Column("steps", Integer, nullable=False, server_default="0"),
    Column("error", JSONB),
    Column("idempotency_key", Text, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # How many events the run has logged: the last one's `run_events.n`.
    Column("event_count", BigInteger, nullable=False, server_default="0"),
    UniqueConstraint("tenant_id", "idempotency_key", name="uq_runs_idempotency"),
)

run_events = tenant_table(
    "run_events",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("run_id", Text, nullable=False),
    # 1, 2, 3, ... within the run, in commit order (None: logged by pre-v4 code).
    Column("n", BigInteger),
    Column("kind", Text, nullable=False),
    Column("data", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("ix_run_events_run_seq", run_events.c.run_id, run_events.c.seq)
Index("uq_run_events_run_n", run_events.c.run_id, run_events.c.n, unique=True)

approvals = tenant_table(
    "approvals",
    metadata,
    Column("approval_id", Text, primary_key=True),
    Column("run_id", Text, nullable=False),
    Column("call_id", Text, nullable=False),
    Column("tool_id", Text, nullable=False),
    Column("arguments", JSONB, nullable=False),
    Column("risk", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", Text),
    Column("comment", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("decided_at", DateTime(timezone=True)),
)

# Not tenant-filtered (ids and times only): the expiry sweeper reads it across tenants.
approval_deadlines = Table(
    "approval_deadlines",
    metadata,
    Column("approval_id", Text, primary_key=True),
    Column("tenant_id", String(128), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
