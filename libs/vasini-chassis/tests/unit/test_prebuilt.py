"""Prebuilt statements: each column's value comes from its own `p_` parameter, typed
like the column, so JSON values are serialised and an INSERT's columns are not shadowed
by parameters of the same name."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, Table, Text, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB

from vasini_chassis.db.prebuilt import column_params, param, params_of

TABLE = Table(
    "things", MetaData(), Column("id", Text), Column("count", Integer), Column("data", JSONB)
)


def test_column_values_come_from_their_own_typed_parameters() -> None:
    compiled = (
        insert(TABLE)
        .values(**column_params(TABLE, ("id", "data")))
        .compile(dialect=postgresql.dialect())
    )

    assert str(compiled) == (
        "INSERT INTO things (id, data) VALUES (%(p_id)s::VARCHAR, %(p_data)s::JSONB)"
    )
    assert isinstance(compiled.binds["p_data"].type, JSONB)
    processed = compiled.construct_params(params_of({"id": "a", "data": {"k": [1]}}))
    assert processed == {"p_id": "a", "p_data": {"k": [1]}}
    assert param("count") == "p_count"
