"""Sandbox-runner tables (see migrations/versions/0001_initial.py)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.db.tables import tenant_table

metadata = MetaData()

executions = tenant_table(
    "executions",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("call_id", Text, primary_key=True),
    Column("tool_id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("arguments", JSONB, nullable=False),  # secrets redacted: this is the audit
    Column("request", JSONB),  # the authorized call as received; cleared once it ran
    Column("approval_id", Text),
    Column("traceparent", Text),
    Column("state", Text, nullable=False),  # queued, done
    Column("status", Text),  # ok, error, timeout
    Column("exit_code", Integer),
    Column("duration_ms", Integer),
    Column("result_summary", Text),
    Column("truncated", Boolean),
    Column("error", JSONB),
    Column("isolation", Text),
    Column("screening", JSONB),  # injection screening of the result, when flagged
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
)

execution_queue = Table(
    "execution_queue",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("call_id", Text, primary_key=True),
    Column("tenant_id", String(128), nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("lease_until", DateTime(timezone=True)),
)
