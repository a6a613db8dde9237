"""Statements built once, with a bind parameter per column value.

Building a SQLAlchemy statement and computing its cache key costs more CPU than
running it (docs/adr/0013), so hot statements are built at start-up and run with
parameters. A column's own name is reserved by SQLAlchemy for that column's value in
an INSERT or UPDATE, so the parameter of column `c` is named `param(c)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import BindParameter, Table, bindparam

PARAM_PREFIX = "p_"


def param(column: str) -> str:
    """The name of the parameter that carries `column`'s value."""
    return PARAM_PREFIX + column


def column_params(table: Table, columns: Iterable[str]) -> dict[str, BindParameter[Any]]:
    """For `.values(**...)`: each of `columns` set from its parameter, typed like it."""
    return {c: bindparam(param(c), type_=table.c[c].type) for c in columns}


def params_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values as the parameters `column_params` expects."""
    return {param(column): value for column, value in values.items()}
