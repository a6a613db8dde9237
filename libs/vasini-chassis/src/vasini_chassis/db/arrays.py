"""A batch of rows inserted by one statement, one array parameter per column.

`INSERT ... SELECT * FROM unnest(:a, :b, ...)`: the statement text is the same for every
batch size, so SQLAlchemy compiles it and asyncpg prepares it once, and the server runs
one INSERT for the batch. An executemany of the same rows (SQLAlchemy's `execute(stmt,
[row, ...])` on asyncpg) is one round trip too, but the server runs one INSERT per row:
in the messaging benchmark a batch handler's 100-row write that way cost ~15 % of the
hop's throughput (docs/adr/0014).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Insert, Table, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY

ARRAY_SUFFIX = "_array"


def array_param(column: str) -> str:
    """The name under which `insert_from_arrays` takes the values of `column` (a column's
    own name is reserved by SQLAlchemy for the VALUES of an insert)."""
    return column + ARRAY_SUFFIX


def insert_from_arrays(table: Table, columns: Sequence[str]) -> Insert:
    """INSERT of many rows into `columns` of `table`. Execute it with one list per column,
    in row order, named `array_param(column)`; all lists the same length."""
    rows = (
        func.unnest(*(bindparam(array_param(c), type_=ARRAY(table.c[c].type)) for c in columns))
        .table_valued(*columns)
        .render_derived(name="batch")
    )
    return insert(table).from_select(list(columns), select(*(rows.c[c] for c in columns)))
