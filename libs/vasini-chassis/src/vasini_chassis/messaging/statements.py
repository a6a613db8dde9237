"""The hot-path statements of the outbox and inbox, built once, with array parameters.

A batch travels as a few PostgreSQL arrays (`unnest`) instead of one bind parameter
per row and column: the statement text is identical for every batch size, so it is
compiled and prepared once, and a batch of 500 costs one round trip.
"""

from __future__ import annotations

from sqlalchemy import Integer, Text, Uuid, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert

from vasini_chassis.messaging.tables import inbox, outbox

_outbox_rows = (
    func.unnest(
        bindparam("event_ids", type_=ARRAY(Uuid)),
        bindparam("streams", type_=ARRAY(Text)),
        bindparam("payloads", type_=ARRAY(Text)),
        bindparam("tenant_ids", type_=ARRAY(Text)),
    )
    .table_valued("event_id", "stream", "payload", "tenant_id")
    .render_derived(name="batch")
)

INSERT_OUTBOX = insert(outbox).from_select(
    ["event_id", "stream", "payload", "tenant_id"],
    select(
        _outbox_rows.c.event_id,
        _outbox_rows.c.stream,
        _outbox_rows.c.payload,
        _outbox_rows.c.tenant_id,
    ),
)
"""Params: event_ids, streams, payloads, tenant_ids — parallel lists, in publish order."""

_next_batch = (
    select(outbox.c.id)
    .where(outbox.c.published_at.is_(None))
    .order_by(outbox.c.id)
    .limit(bindparam("limit", type_=Integer))
    .with_for_update(skip_locked=True)
    .cte("next_batch")
)

CLAIM_OUTBOX = (
    update(outbox)
    .where(outbox.c.id == _next_batch.c.id)
    .values(published_at=func.now())
    .returning(
        outbox.c.id,
        outbox.c.stream,
        outbox.c.payload,
        # The marks need no fsync: lost in a server crash, they only make the relay send
        # the rows again, which consumers' inboxes absorb. Set here, evaluated for every
        # row marked, it costs no round trip; a batch that marks nothing writes nothing.
        func.set_config("synchronous_commit", "off", True),
    )
)
"""Params: limit. Locks the oldest unpublished rows that no other relay holds (`SKIP
LOCKED`) and marks them, in one round trip. The mark is only a row version of the open
transaction: the relay commits it after Redis answered the XADDs, so a crash before that
rolls it back (see relay.py). The CTE runs the locking SELECT exactly once. Rows come
back in no particular order."""

CLAIM_INBOX = (
    pg_insert(inbox)
    .from_select(
        ["consumer", "event_id"],
        select(
            bindparam("consumer", type_=Text),
            func.unnest(bindparam("event_ids", type_=ARRAY(Uuid))),
        ),
    )
    .on_conflict_do_nothing()
    .returning(inbox.c.event_id)
)
"""Params: consumer, event_ids. Returns the ids that were new (not yet handled)."""
