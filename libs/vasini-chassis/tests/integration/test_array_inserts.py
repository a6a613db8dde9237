"""insert_from_arrays: a batch of rows in one statement, in order, under RLS like any
other write."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from vasini_chassis.db.arrays import array_param, insert_from_arrays
from vasini_chassis.db.engine import Database
from vasini_chassis.testing.example.handlers import effects

COLUMNS = ("tenant_id", "event_id", "run_id", "input")
INSERT = insert_from_arrays(effects, COLUMNS)


def arrays(rows: list[tuple[str, uuid.UUID, str, str]]) -> dict[str, list[object]]:
    return {array_param(c): [row[i] for row in rows] for i, c in enumerate(COLUMNS)}


async def test_a_batch_lands_row_by_row_in_its_order(db: Database) -> None:
    rows = [("tenant-a", uuid.uuid4(), f"run-{n}", f"input {n}") for n in range(250)]
    async with db.transaction("tenant-a") as conn:
        result = await conn.execute(INSERT, arrays(rows))
        assert result.rowcount == 250, "one statement wrote the whole batch"

    query = select(effects.c.tenant_id, effects.c.event_id, effects.c.run_id, effects.c.input)
    async with db.transaction("tenant-a") as conn:
        stored = [tuple(r) for r in await conn.execute(query.order_by(effects.c.id))]
    assert stored == rows


async def test_an_empty_batch_writes_nothing(db: Database) -> None:
    async with db.transaction("tenant-a") as conn:
        assert (await conn.execute(INSERT, arrays([]))).rowcount == 0


async def test_a_row_of_another_tenant_fails_the_whole_batch(db: Database) -> None:
    rows = [
        ("tenant-a", uuid.uuid4(), "mine", "x"),
        ("tenant-b", uuid.uuid4(), "smuggled", "x"),
    ]
    with pytest.raises(DBAPIError, match="row-level security"):
        async with db.transaction("tenant-a") as conn:
            await conn.execute(INSERT, arrays(rows))

    async with db.transaction("tenant-a") as conn:
        assert (await conn.execute(select(effects.c.run_id))).all() == []
