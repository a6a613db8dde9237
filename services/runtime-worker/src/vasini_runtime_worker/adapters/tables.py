"""Runtime-worker tables (see migrations/versions/0001_initial.py for why the queue
is not tenant-filtered)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, func
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.db.tables import tenant_table

metadata = MetaData()

runs = tenant_table(
    "runs",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("pack", JSONB, nullable=False),
    Column("config", JSONB, nullable=False),
    Column("tier", Text, nullable=False),
    Column("input", Text, nullable=False),
    Column("session_id", Text),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("deadline_at", DateTime(timezone=True), nullable=False),
    Column("traceparent", Text),
    Column("state", Text, nullable=False),
    Column("step", Integer, nullable=False),
    Column("messages", JSONB, nullable=False),
    Column("input_tokens", Integer, nullable=False),
    Column("output_tokens", Integer, nullable=False),
    Column("delta_seq", Integer, nullable=False),
    Column("cancel_requested", Boolean, nullable=False, server_default="false"),
    Column("cancel_reason", Text),
    Column("calls", JSONB, nullable=False, server_default="[]"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

run_queue = Table(
    "run_queue",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("tenant_id", String(128), nullable=False),
    Column("ready_at", DateTime(timezone=True), nullable=False),
    Column("lease_owner", Text),
    Column("lease_until", DateTime(timezone=True)),
    # Set by whoever wakes the run while a worker holds it; the worker's save then
    # keeps the run ready instead of parking it until its wake-up time.
    Column("poked", Boolean, nullable=False, server_default="false"),
)

tool_answers = tenant_table(
    "tool_answers",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("call_id", Text, primary_key=True),
    Column("kind", Text, primary_key=True),
    Column("content", Text, nullable=False),
    Column("is_error", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
