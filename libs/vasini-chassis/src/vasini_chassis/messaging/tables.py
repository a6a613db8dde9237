"""Live table objects of the chassis tables (shape created by migrations/messaging.py).

Defined without a schema: the service engine maps them onto the service's schema.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    Uuid,
)

metadata = MetaData()

outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("stream", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("tenant_id", Text, nullable=False),
    Column("created_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
    Column("relay_after", DateTime(timezone=True)),
)

inbox = Table(
    "inbox",
    metadata,
    Column("consumer", Text, primary_key=True),
    Column("event_id", Uuid, primary_key=True),
    Column("received_at", DateTime(timezone=True)),
)

dead_letter = Table(
    "dead_letter",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("consumer", Text, nullable=False),
    Column("stream", Text, nullable=False),
    Column("entry_id", Text, nullable=False),
    Column("event_id", Uuid),
    Column("event_type", Text),
    Column("tenant_id", Text),
    Column("reason_code", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("deliveries", Integer, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True)),
    Column("replayed_at", DateTime(timezone=True)),
    Column("replay_count", Integer, nullable=False),
)
