"""Servers for the benchmarks: VASINI_BENCH_DATABASE_URL / VASINI_BENCH_REDIS_URL, else
the VASINI_TEST_* URLs, else embedded PostgreSQL and Valkey (as `make test`)."""

from __future__ import annotations

import os
from contextlib import ExitStack

from vasini_chassis.embedded import start_postgres, start_valkey


def bench_servers(stack: ExitStack) -> tuple[str, str, str]:
    """(admin database URL, Redis URL, "configured" or "embedded")."""
    database = os.environ.get("VASINI_BENCH_DATABASE_URL") or os.environ.get(
        "VASINI_TEST_DATABASE_URL"
    )
    redis = os.environ.get("VASINI_BENCH_REDIS_URL") or os.environ.get("VASINI_TEST_REDIS_URL")
    where = "configured"
    if not database:
        postgres = start_postgres()
        stack.callback(postgres.stop)
        database, where = postgres.url, "embedded"
    if not redis:
        valkey = start_valkey()
        stack.callback(valkey.stop)
        redis, where = valkey.url, "embedded"
    return database, redis, where
