"""Ingress v5: a change to an API key (revoked, re-hashed, deleted) is announced
(NOTIFY, payload: the key id), so every ingress replica forgets its cached lookup of
that key at once.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from vasini_chassis.db.notifications import table_channel
from vasini_chassis.db.tables import quote_ident
from vasini_chassis.migrations import target_schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    schema = target_schema()
    s = quote_ident(schema)
    channel = table_channel(schema, "api_keys").replace("'", "''")
    op.execute(
        f"""CREATE FUNCTION {s}.api_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('{channel}', OLD.key_id); RETURN NULL; END $$"""
    )
    op.execute(
        f"""CREATE TRIGGER api_keys_notify AFTER UPDATE OR DELETE ON {s}.api_keys
            FOR EACH ROW EXECUTE FUNCTION {s}.api_keys_notify()"""
    )
