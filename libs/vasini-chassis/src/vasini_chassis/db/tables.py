"""Declaring tenant-owned tables, and the row-level security that guards them.

`tenant_table` gives the table its `tenant_id` column; `rls_statements` is the DDL a
migration runs for it: RLS enabled and FORCEd (so even the table owner is filtered),
one policy that both filters reads and checks writes against `app.tenant_id`. An unset
tenant reads as NULL and matches nothing: forgetting the scope fails closed.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, MetaData, String, Table
from sqlalchemy.sql.schema import SchemaItem

TENANT_SETTING = "app.tenant_id"


def tenant_table(name: str, metadata: MetaData, *items: SchemaItem) -> Table:
    table = Table(name, metadata, Column("tenant_id", String(128), nullable=False), *items)
    Index(f"ix_{name}_tenant_id", table.c.tenant_id)
    return table


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rls_statements(schema: str, table: str) -> list[str]:
    qualified = f"{quote_ident(schema)}.{quote_ident(table)}"
    predicate = f"tenant_id = current_setting('{TENANT_SETTING}', true)"
    return [
        f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {qualified} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {qualified} "
        f"USING ({predicate}) WITH CHECK ({predicate})",
    ]
