"""Frozen DDL: a trigger that announces new work on a table by NOTIFY.

The notification is sent when the inserting (or updating) transaction commits, on
`table_channel(schema, table)`, so whoever waits on it (db/notifications.py) looks
exactly when the rows become visible. Version 1; a later shape gets a `_v2`.
"""

from __future__ import annotations

from alembic import op

from vasini_chassis.db.notifications import table_channel
from vasini_chassis.db.tables import quote_ident
from vasini_chassis.migrations.env import target_schema


def create_notify_trigger_v1(
    table: str,
    *,
    payload_column: str | None = None,
    update_of: tuple[str, ...] = (),
    when: str | None = None,
) -> None:
    """NOTIFY after each inserted row of `table` (and each update of the `update_of`
    columns), with the row's `payload_column` as payload (empty when None), only for
    rows where the SQL condition `when` (over NEW) holds."""
    schema = target_schema()
    s, t = quote_ident(schema), quote_ident(table)
    function = quote_ident(f"{table}_notify")
    channel = table_channel(schema, table).replace("'", "''")
    payload = f"NEW.{quote_ident(payload_column)}::text" if payload_column else "''"
    events = "INSERT" + (
        f" OR UPDATE OF {', '.join(quote_ident(c) for c in update_of)}" if update_of else ""
    )
    condition = f" WHEN ({when})" if when else ""
    op.execute(
        f"""CREATE FUNCTION {s}.{function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('{channel}', {payload}); RETURN NULL; END $$"""
    )
    op.execute(
        f"""CREATE TRIGGER {function} AFTER {events} ON {s}.{t}
            FOR EACH ROW{condition} EXECUTE FUNCTION {s}.{function}()"""
    )
