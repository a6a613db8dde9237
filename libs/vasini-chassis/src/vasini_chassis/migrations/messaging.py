"""Frozen DDL of the chassis tables every service schema carries (version 1).

Migrations must not change when the code does, so this is SQL, not the live table
objects of `vasini_chassis.messaging.tables`; a later shape gets a `_v2` function.

- outbox: events written in the business transaction, moved to Redis by the relay.
  It is infrastructure read across tenants by the relay, so it has no RLS; the
  application role can only reach it through the service's own code.
- inbox: (consumer, event_id) already handled — the dedup key of exactly-once effects.
- dead_letter: entries a consumer gave up on, with the error, replayable.

Version 2 adds the publisher's lease on outbox rows (`add_outbox_lease_v2`).
"""

from __future__ import annotations

from alembic import op

from vasini_chassis.db.notifications import table_channel
from vasini_chassis.db.tables import quote_ident, rls_statements
from vasini_chassis.migrations.env import target_schema


def create_messaging_tables_v1() -> None:
    schema = target_schema()
    s = quote_ident(schema)
    channel = table_channel(schema, "outbox").replace("'", "''")  # the relay's wake-up
    for statement in (
        f"""CREATE TABLE {s}.outbox (
            id bigserial PRIMARY KEY,
            event_id uuid NOT NULL,
            stream text NOT NULL,
            payload text NOT NULL,
            tenant_id text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            published_at timestamptz
        )""",
        f"CREATE INDEX ix_outbox_unpublished ON {s}.outbox (id) WHERE published_at IS NULL",
        f"CREATE INDEX ix_outbox_published_at ON {s}.outbox (published_at)"
        " WHERE published_at IS NOT NULL",
        f"""CREATE FUNCTION {s}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('{channel}', ''); RETURN NULL; END $$""",
        f"""CREATE TRIGGER outbox_notify AFTER INSERT ON {s}.outbox
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.outbox_notify()""",
        f"""CREATE TABLE {s}.inbox (
            consumer text NOT NULL,
            event_id uuid NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id)
        )""",
        f"""CREATE TABLE {s}.dead_letter (
            id bigserial PRIMARY KEY,
            consumer text NOT NULL,
            stream text NOT NULL,
            entry_id text NOT NULL,
            event_id uuid,
            event_type text,
            tenant_id text,
            reason_code text NOT NULL,
            error text NOT NULL,
            deliveries integer NOT NULL,
            payload text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            replayed_at timestamptz,
            replay_count integer NOT NULL DEFAULT 0
        )""",
    ):
        op.execute(statement)


def add_outbox_lease_v2() -> None:
    """`relay_after`: until then the row's producer publishes it itself, right after its
    commit (messaging/publisher.py), and the relay leaves it alone. NULL (rows of
    older code, or of a producer without a publisher): the relay's at once. The NOTIFY
    that wakes the relay becomes a row trigger that fires only for those rows: rows
    under a lease, the hot path, call no function at all."""
    schema = target_schema()
    s = quote_ident(schema)
    for statement in (
        f"ALTER TABLE {s}.outbox ADD COLUMN relay_after timestamptz",
        f"""CREATE OR REPLACE TRIGGER outbox_notify AFTER INSERT ON {s}.outbox
            FOR EACH ROW WHEN (NEW.relay_after IS NULL)
            EXECUTE FUNCTION {s}.outbox_notify()""",
    ):
        op.execute(statement)


def enable_rls(table: str) -> None:
    """Row-level security (FORCEd) on a tenant table of the current migration's schema."""
    for statement in rls_statements(target_schema(), table):
        op.execute(statement)
