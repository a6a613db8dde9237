"""The hot-path statements of the outbox and inbox, with array parameters.

A batch travels as a few PostgreSQL arrays (`unnest`) instead of one bind parameter
per row and column: the statement text is identical for every batch size, so it is
compiled and prepared once, and a batch of 500 costs one round trip.

The outbox insert for the relay is a SQLAlchemy statement (it serves any connection,
also outside `Database.transaction`). The hot-path statements — the insert of rows a
publisher sends, the relay's claim, the consumer's inbox claim, the publisher's marks —
are SQL text per schema, run on the asyncpg connection beneath (see `fetch`).
"""

from __future__ import annotations

import uuid
from typing import TypeAlias

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.arrays import insert_from_arrays
from vasini_chassis.db.tables import quote_ident
from vasini_chassis.messaging.tables import outbox

OUTBOX_COLUMNS = ("event_id", "stream", "payload", "tenant_id")
INSERT_OUTBOX = insert_from_arrays(outbox, OUTBOX_COLUMNS)
"""Params: `array_param(column)` of each of OUTBOX_COLUMNS, in publish order."""

# The relay's and the consumer's claims run on the asyncpg connection beneath the
# SQLAlchemy one: they are internal (no caller outside the chassis sees their errors)
# and return one row per event, for which SQLAlchemy's execution and result layers cost
# ≈ 1.6 µs more per row (measured, docs/adr/0011). The text is fixed per schema, so
# asyncpg's statement cache prepares it once per connection.

OutboxRow: TypeAlias = asyncpg.Record
"""(id, stream, payload) of a claimed outbox row."""


def claim_outbox_sql(schema: str) -> str:
    """Params: limit. Locks the oldest unpublished rows that no other relay holds (`SKIP
    LOCKED`) and no publisher's lease covers, and marks them, in one round trip. The
    mark is only a row version of the open transaction: the relay commits it after
    Redis answered the XADDs, so a crash before that rolls it back (see relay.py). The
    CTE runs the locking SELECT exactly once. Rows come back in no particular order."""
    table = f"{quote_ident(schema)}.outbox"
    # The only interpolation is the quoted schema name.
    return (
        f"WITH next_batch AS (SELECT id FROM {table} WHERE published_at IS NULL"  # noqa: S608
        " AND (relay_after IS NULL OR relay_after <= now())"
        " ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)"
        f" UPDATE {table} AS o SET published_at = now() FROM next_batch"
        " WHERE o.id = next_batch.id"
        # The marks need no fsync: lost in a server crash, they only make the relay send
        # the rows again, which consumers' inboxes absorb. Set here, evaluated for every
        # row marked, it costs no round trip; a batch that marks nothing writes nothing.
        " RETURNING o.id, o.stream, o.payload, set_config('synchronous_commit', 'off', true)"
    )


def insert_outbox_leased_sql(schema: str) -> str:
    """Params: event ids (uuid[]), streams, payloads, tenant ids (text[]; parallel, in
    publish order), lease (interval). Rows the relay leaves alone for the lease (their
    producer publishes them after its commit, see publisher.py); returns (id, event_id)
    per row."""
    # The only interpolation is the quoted schema name.
    return (
        f"INSERT INTO {quote_ident(schema)}.outbox"  # noqa: S608
        " (event_id, stream, payload, tenant_id, relay_after)"
        " SELECT event_id, stream, payload, tenant_id, now() + $5::interval"
        " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])"
        " AS batch(event_id, stream, payload, tenant_id)"
        " RETURNING id, event_id"
    )


def mark_published_sql(schema: str) -> str:
    """Params: outbox ids (bigint[]) its publisher XADDed. Marks them published, in a
    transaction of its own that needs no fsync (a mark lost in a server crash makes the
    relay send the row again after its lease: a duplicate the inboxes absorb). The
    one-row subquery sets that for the statement's implicit transaction."""
    table = f"{quote_ident(schema)}.outbox"
    # The only interpolation is the quoted schema name.
    return (
        f"UPDATE {table} AS o SET published_at = now()"  # noqa: S608
        " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS no_fsync"
        " WHERE o.id = ANY($1::bigint[]) AND o.published_at IS NULL"
    )


def claim_inbox_sql(schema: str) -> str:
    """Params: consumer, event ids (uuid[]). Returns the ids that were new (not yet
    handled)."""
    return (
        f"INSERT INTO {quote_ident(schema)}.inbox (consumer, event_id)"
        " SELECT $1::text, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id"
    )


def insert_inbox_literal_sql(schema: str, consumer: str, event_ids: list[uuid.UUID]) -> str:
    """The inbox rows of events believed new, as SQL with no parameters (so it can ride
    on the transaction's BEGIN): no ON CONFLICT, so a duplicate fails the statement and
    the caller claims the ids the careful way (`claim_inbox_sql`). `consumer` must be
    literal-safe (`is_literal_safe`); a UUID goes as its 32 hex digits, which
    PostgreSQL reads as a uuid (and Python writes faster than the dashed form)."""
    rows = ", ".join(f"('{consumer}', '{event_id.hex}')" for event_id in event_ids)
    return f"INSERT INTO {quote_ident(schema)}.inbox (consumer, event_id) VALUES {rows}"  # noqa: S608


async def fetch(conn: AsyncConnection, sql: str, *args: object) -> list[asyncpg.Record]:
    """Run `sql` on the asyncpg connection of `conn`, in its open transaction."""
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    rows: list[asyncpg.Record] = await driver.fetch(sql, *args)
    return rows
