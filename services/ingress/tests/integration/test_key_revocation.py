"""A key revoked in the database stops working at once, although lookups are cached."""

from __future__ import annotations

from typing import Any

import asyncpg

from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.testing.waiting import eventually

from .test_runs_api import Ingress, assert_problem, auth


async def test_a_revoked_key_is_refused_by_a_replica_that_cached_it(
    ingress: Ingress, service_settings: dict[str, Any], postgres_admin_url: str
) -> None:
    async with ingress() as api:
        key = await api.new_tenant()
        listed = await api.client.get("/v1/approvals", headers=auth(key))
        assert listed.status_code == 200, listed.text  # the key's lookup is now cached

        conn = await asyncpg.connect(asyncpg_dsn(postgres_admin_url))
        try:
            revoked = await conn.execute(
                f'UPDATE "{service_settings["db_schema"]}".api_keys SET revoked_at = now()'
            )
        finally:
            await conn.close()
        assert revoked == "UPDATE 1"

        refused = await eventually(
            lambda: api.client.get("/v1/approvals", headers=auth(key)),
            until=lambda r: r.status_code == 401,
            what="the revoked key to be refused",
        )
    assert_problem(refused, 401, "UNAUTHENTICATED")
