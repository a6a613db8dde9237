"""Sandbox-runner v5: only a call queued for claiming is announced. A call the consumer
queues already leased to its own executor (adapters/store.py, `DirectStart`) starts in
that process on commit; announcing it would only wake executors to a claim that finds
nothing.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from vasini_chassis.db.tables import quote_ident
from vasini_chassis.migrations import target_schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    s = quote_ident(target_schema())
    op.execute(
        f"""CREATE OR REPLACE TRIGGER execution_queue_notify AFTER INSERT ON {s}.execution_queue
            FOR EACH ROW WHEN (NEW.lease_until IS NULL)
            EXECUTE FUNCTION {s}.execution_queue_notify()"""
    )
