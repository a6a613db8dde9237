"""The composer's table (created by `migrations/`): tenant-owned, under RLS."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, Text, Uuid, func

from vasini_chassis.db.tables import tenant_table

metadata = MetaData()

compositions = tenant_table(
    "compositions",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("requested", Text, nullable=False),
    Column("pack_id", Text),
    Column("version", Text),
    Column("digest", Text),
    Column("outcome", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("event_id", Uuid),
    Column("message", Text),
)
