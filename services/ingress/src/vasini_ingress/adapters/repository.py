"""Ingress data access: tenants and keys, runs, the per-run event log, the outbox.

Run rows are written in tenant transactions (RLS applies); the run and its
`run.requested` event are committed together through the chassis outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.outbox import enqueue
from vasini_contracts import CloudEvent
from vasini_ingress.adapters.tables import api_keys, run_events, runs, tenants
from vasini_ingress.domain.runs import TERMINAL_STATES


@dataclass(frozen=True, slots=True)
class StoredKey:
    tenant_id: str
    secret_hash: str
    revoked: bool


@dataclass(frozen=True, slots=True)
class RunRow:
    run_id: str
    pack: str
    pack_version: str | None
    input: str
    session_id: str | None
    metadata: dict[str, Any]
    state: str
    output: str | None
    usage: dict[str, Any] | None
    steps: int
    error: dict[str, Any] | None
    fingerprint: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RunEventRow:
    seq: int
    kind: str
    data: dict[str, Any]


class IngressRepository:
    def __init__(self, db: Database, stream_prefix: str) -> None:
        self._db = db
        self._prefix = stream_prefix

    async def create_tenant(self, tenant_id: str, name: str, key_id: str, secret_hash: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(insert(tenants).values(tenant_id=tenant_id, name=name))
            await conn.execute(
                insert(api_keys).values(key_id=key_id, tenant_id=tenant_id, secret_hash=secret_hash)
            )

    async def find_key(self, key_id: str) -> StoredKey | None:
        async with self._db.transaction() as conn:
            row = (
                await conn.execute(
                    select(
                        api_keys.c.tenant_id, api_keys.c.secret_hash, api_keys.c.revoked_at
                    ).where(api_keys.c.key_id == key_id)
                )
            ).first()
        return None if row is None else StoredKey(row[0], row[1], row[2] is not None)

    async def create_run(
        self, tenant_id: str, values: dict[str, Any], event: CloudEvent
    ) -> tuple[RunRow, bool]:
        """Insert the run and enqueue `event`, or return the run already stored under
        the same idempotency key (created = False; nothing enqueued)."""
        async with self._db.transaction(tenant_id) as conn:
            inserted = (
                await conn.execute(
                    pg_insert(runs)
                    .values(tenant_id=tenant_id, state="queued", **values)
                    .on_conflict_do_nothing(constraint="uq_runs_idempotency")
                    .returning(runs.c.run_id)
                )
            ).first()
            if inserted is not None:
                await enqueue(conn, [event], stream_prefix=self._prefix)
                await _append_event(conn, tenant_id, values["run_id"], "state", {"state": "queued"})
            query = select(runs).where(runs.c.idempotency_key == values["idempotency_key"])
            row = (await conn.execute(query)).mappings().one()
        return _run_row(row), inserted is not None

    async def get_run(self, tenant_id: str, run_id: str) -> RunRow | None:
        async with self._db.transaction(tenant_id) as conn:
            row = (
                (await conn.execute(select(runs).where(runs.c.run_id == run_id))).mappings().first()
            )
        return None if row is None else _run_row(row)

    async def request_cancel(self, tenant_id: str, run_id: str, event: CloudEvent) -> RunRow | None:
        """Enqueue the cancel request unless the run is unknown or already finished."""
        async with self._db.transaction(tenant_id) as conn:
            row = (
                (await conn.execute(select(runs).where(runs.c.run_id == run_id).with_for_update()))
                .mappings()
                .first()
            )
            if row is not None and row["state"] not in TERMINAL_STATES:
                await enqueue(conn, [event], stream_prefix=self._prefix)
        return None if row is None else _run_row(row)

    async def events_after(
        self, tenant_id: str, run_id: str, after: int, limit: int = 500
    ) -> list[RunEventRow]:
        async with self._db.transaction(tenant_id) as conn:
            rows = await conn.execute(
                select(run_events.c.seq, run_events.c.kind, run_events.c.data)
                .where(run_events.c.run_id == run_id, run_events.c.seq > after)
                .order_by(run_events.c.seq)
                .limit(limit)
            )
            return [RunEventRow(int(seq), kind, data) for seq, kind, data in rows]


async def project(
    conn: AsyncConnection,
    tenant_id: str,
    run_id: str,
    kind: str,
    *,
    data: dict[str, Any],
    changes: dict[str, Any],
) -> None:
    """Apply one pipeline event to the run (in the consumer's transaction): update the
    row unless the run already reached a final state, and log the event for SSE."""
    if changes:
        await conn.execute(
            update(runs)
            .where(runs.c.run_id == run_id, runs.c.state.not_in(TERMINAL_STATES))
            .values(**changes, updated_at=func.now())
        )
    await _append_event(conn, tenant_id, run_id, kind, data)


async def _append_event(
    conn: AsyncConnection, tenant_id: str, run_id: str, kind: str, data: dict[str, Any]
) -> None:
    await conn.execute(
        insert(run_events).values(tenant_id=tenant_id, run_id=run_id, kind=kind, data=data)
    )


def _run_row(row: Any) -> RunRow:
    return RunRow(**{name: row[name] for name in RunRow.__slots__})
