"""Ingress v4: a run's events are numbered 1, 2, 3, ... (`run_events.n`, counted on
`runs.event_count`), and each committed event is announced with its number and, when
it fits in a notification, its content.

Appending an event bumps the run's counter first, so the run row's lock orders a run's
events: numbers follow commit order. A live stream can then send a notified event
without reading it back, and tell a missed one (a gap in the numbers) from the next.
Rows logged before this revision are numbered here; `n` stays nullable so a replica
still on v3 code can keep appending during a rolling upgrade (its rows have no number,
and streams read those from the table).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vasini_chassis.db.notifications import table_channel
from vasini_chassis.db.tables import quote_ident
from vasini_chassis.migrations import target_schema

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# pg_notify refuses payloads of 8000 bytes or more; larger events are announced
# without their content.
_NOTIFY_LIMIT = 7999


def upgrade() -> None:
    schema = target_schema()
    s = quote_ident(schema)
    op.add_column(
        "runs",
        sa.Column("event_count", sa.BigInteger, nullable=False, server_default="0"),
        schema=schema,
    )
    op.add_column("run_events", sa.Column("n", sa.BigInteger), schema=schema)
    # The schema is a quoted identifier; no value reaches these statements.
    op.execute(
        f"""UPDATE {s}.run_events AS e SET n = numbered.n
            FROM (SELECT seq, row_number() OVER (PARTITION BY run_id ORDER BY seq) AS n
                  FROM {s}.run_events) AS numbered
            WHERE e.seq = numbered.seq"""  # noqa: S608
    )
    op.execute(
        f"""UPDATE {s}.runs AS r SET event_count = logged.count
            FROM (SELECT run_id, count(*) AS count FROM {s}.run_events GROUP BY run_id) AS logged
            WHERE r.run_id = logged.run_id"""  # noqa: S608
    )
    op.create_index(
        "uq_run_events_run_n", "run_events", ["run_id", "n"], unique=True, schema=schema
    )
    channel = table_channel(schema, "run_events").replace("'", "''")
    # Replaces the body of revision 0003's trigger function (same trigger, new payload).
    op.execute(
        f"""CREATE OR REPLACE FUNCTION {s}.run_events_notify() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE payload text := json_build_object(
                'run_id', NEW.run_id, 'n', NEW.n, 'seq', NEW.seq,
                'kind', NEW.kind, 'data', NEW.data)::text;
            BEGIN
                IF octet_length(payload) > {_NOTIFY_LIMIT} THEN
                    payload := json_build_object(
                        'run_id', NEW.run_id, 'n', NEW.n, 'seq', NEW.seq)::text;
                END IF;
                PERFORM pg_notify('{channel}', payload);
                RETURN NULL;
            END $$"""
    )
