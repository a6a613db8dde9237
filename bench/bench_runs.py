"""Run pipeline benchmark: the no-tool run over HTTP through every service.

Prints one JSON line. The stack is the real one (`vasini up`'s ServiceStack: ingress,
composer, policy, runtime-worker as processes) with the offline `scripted:answer`
model on `bench-echo`, so the figures are the platform's own cost.

- sequential: SEQUENTIAL_RUNS runs one after another; latency from POST /v1/runs to
  the run's `completed` event on its SSE stream; p50/p95/p99 in ms.
- concurrent: CONCURRENT_RUNS runs, CONCURRENCY at a time; runs/s over the batch.
- cpu_ms_per_run: user+system CPU of all service processes over both phases / runs.
- postgres per run: committed transactions and rows written (pg_stat_database),
  over both phases, / runs (reads included in the transaction count).

Servers: VASINI_BENCH_DATABASE_URL / VASINI_BENCH_REDIS_URL, else the VASINI_TEST_*
URLs, else embedded PostgreSQL and Valkey.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import asyncpg
import httpx
from servers import bench_servers

from vasini_chassis.db.roles import provision_app_role
from vasini_chassis.db.urls import asyncpg_dsn
from vasini_cli.stack import OFFLINE_TIERS, ServiceStack, StackSettings, admin_key, free_port

ROOT = Path(__file__).resolve().parents[1]
PACK = "bench-echo"
# Smaller counts for a quick look while working on speed; reported figures use the defaults.
SEQUENTIAL_RUNS = int(os.environ.get("VASINI_BENCH_SEQUENTIAL_RUNS", "300"))
CONCURRENT_RUNS = int(os.environ.get("VASINI_BENCH_CONCURRENT_RUNS", "1000"))
CONCURRENCY = 32
# A backend that is busy publishes its statistics at most once a second, but one that
# goes idle right after publishing waits 10 s: read the counters after that.
STATS_FLUSH_S = 11.0


def cpu_ms(stack: ServiceStack) -> dict[str, float]:
    """User+system CPU ms each service process has used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for service, process in stack.processes.items():
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        used[service] = (int(fields[11]) + int(fields[12])) * 1000 / ticks  # utime, stime
    return used


async def pg_counters(admin_url: str) -> tuple[int, int]:
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        row = await conn.fetchrow(
            "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted AS written "
            "FROM pg_stat_database WHERE datname = current_database()"
        )
        assert row is not None
        return int(row["xact_commit"]), int(row["written"])
    finally:
        await conn.close()


async def one_run(http: httpx.AsyncClient) -> tuple[str, float]:
    """The run's id and its ms from POST to the `completed` event."""
    started = time.perf_counter()
    accepted = await http.post(
        "/v1/runs",
        json={"pack": PACK, "input": "benchmark"},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    accepted.raise_for_status()
    run_id = accepted.json()["run_id"]
    async with http.stream("GET", f"/v1/runs/{run_id}/events") as events:
        async for line in events.aiter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
                if kind in {"failed", "cancelled"}:
                    raise RuntimeError(f"run {run_id} {kind}")
                if kind == "completed":
                    break
    return run_id, (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)], 2)


async def measure(stack: ServiceStack, admin_url: str) -> tuple[dict[str, object], set[str]]:
    """The figures, and the ids of the sequential runs."""
    async with httpx.AsyncClient(base_url=stack.settings.api_url, timeout=60) as http:
        created = await http.post(
            "/v1/tenants",
            json={"name": "bench"},
            headers={"Authorization": f"Bearer {admin_key(stack.settings.data_dir)}"},
        )
        http.headers["Authorization"] = f"Bearer {created.json()['api_key']}"
        await one_run(http)  # warm-up: caches, prepared statements, consumer groups
        await asyncio.sleep(STATS_FLUSH_S)
        cpu_before, (xacts_before, rows_before) = cpu_ms(stack), await pg_counters(admin_url)

        sequential_runs = dict([await one_run(http) for _ in range(SEQUENTIAL_RUNS)])
        sequential = list(sequential_runs.values())

        slots = asyncio.Semaphore(CONCURRENCY)

        async def limited() -> tuple[str, float]:
            async with slots:
                return await one_run(http)

        started = time.perf_counter()
        await asyncio.gather(*(limited() for _ in range(CONCURRENT_RUNS)))
        concurrent_s = time.perf_counter() - started

        await asyncio.sleep(STATS_FLUSH_S)
        cpu_after, (xacts_after, rows_after) = cpu_ms(stack), await pg_counters(admin_url)
    runs = SEQUENTIAL_RUNS + CONCURRENT_RUNS
    figures: dict[str, object] = {
        "sequential": {
            "runs": SEQUENTIAL_RUNS,
            "p50_ms": percentile(sequential, 0.50),
            "p95_ms": percentile(sequential, 0.95),
            "p99_ms": percentile(sequential, 0.99),
            "mean_ms": round(statistics.fmean(sequential), 2),
        },
        "concurrent": {
            "runs": CONCURRENT_RUNS,
            "concurrency": CONCURRENCY,
            "runs_per_s": round(CONCURRENT_RUNS / concurrent_s, 1),
        },
        "cpu_ms_per_run": round((sum(cpu_after.values()) - sum(cpu_before.values())) / runs, 2),
        "cpu_ms_per_run_by_service": {
            service: round((cpu_after[service] - cpu_before[service]) / runs, 2)
            for service in cpu_after
        },
        "postgres_per_run": {
            "transactions": round((xacts_after - xacts_before) / runs, 1),
            "rows_written": round((rows_after - rows_before) / runs, 1),
        },
    }
    return figures, set(sequential_runs)


# (admin URL, the stack's namespace, the sequential runs' ids) -> more figures
After = Callable[[str, str, set[str]], dict[str, object]]


def bench_stack(tiers_json: str, after: After | None = None) -> tuple[dict[str, object], str]:
    """Start the stack on the bench servers (LLM tiers: `tiers_json`), measure it, stop
    it; then, while the servers still run, `after(admin_url, namespace, run_ids)` adds
    figures about the sequential runs (the stack's data is still there; its processes
    no longer compete for CPU).
    Returns the figures and where the servers are."""
    with ExitStack() as servers, tempfile.TemporaryDirectory(prefix="vasini-bench-") as tmp:
        admin_url, redis_url, where = bench_servers(servers)
        app_url = asyncio.run(provision_app_role(admin_url))
        settings = StackSettings(
            database_url=app_url,
            database_admin_url=admin_url,
            redis_url=redis_url,
            data_dir=Path(tmp),
            packs_dir=ROOT / "packs",
            port=free_port(),
            namespace=f"bench_{uuid.uuid4().hex[:8]}",
            llm_tiers_json=tiers_json,
            # The per-tenant rate limit guards against abuse; the benchmark is one tenant.
            extra_env={"VASINI_LOG_LEVEL": "WARNING", "VASINI_INGRESS_RATE_LIMIT_PER_S": "100000"},
        )
        stack = ServiceStack(settings)
        try:
            stack.start()
            figures, sequential_run_ids = asyncio.run(measure(stack, admin_url))
        finally:
            stack.stop()
        if after is not None:
            figures |= after(admin_url, settings.namespace, sequential_run_ids)
    return figures, where


def main() -> None:
    figures, where = bench_stack(OFFLINE_TIERS)
    print(
        json.dumps(
            {
                "bench": "run_pipeline_no_tool",
                "servers": where,
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "pack": PACK,
                "model": "scripted:answer",
                **figures,
            }
        )
    )


if __name__ == "__main__":
    main()
