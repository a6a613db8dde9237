"""The one-tool run (ARCHITECTURE.md §7) through the whole stack over HTTP, against a
durable LangGraph agent doing the same work on the same PostgreSQL.

Ours: `bench-echo` on the offline `scripted:tools` model: the model asks for `echo`,
policy authorizes it, the sandbox-runner runs it, the runtime resumes, the model
answers, policy screens the answer. Figures as bench_runs.py (300 sequential runs
p50/p95/p99 from POST to the `completed` SSE event; 1000 runs at concurrency 32;
CPU ms and PostgreSQL write transactions per run), plus a profile of the sequential
runs: the median time between the run's milestones as ingress recorded them, and per
event hop the transit and handler times (run_trace.py).

The peer (langgraph_peer.py): agent node, tool node, `AsyncPostgresSaver`, one thread
per run, in one process. Ratios: ours / peer. Targets: throughput at least the peer's;
sequential p50 at most 3x the peer's.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import platform
import statistics
from collections import defaultdict

import asyncpg
from bench_runs import CONCURRENCY, CONCURRENT_RUNS, PACK, SEQUENTIAL_RUNS, bench_stack
from langgraph_peer import measure_peer
from run_trace import hop_profile

from vasini_chassis.db.urls import asyncpg_dsn
from vasini_cli.stack import tiers_json

TIERS = tiers_json("scripted:tools")
# Milestones of a one-tool run on its event log, in order.
MILESTONES = ("queued", "composed", "running", "waiting_tool", "running", "completed")


async def profile(admin_url: str, namespace: str, run_ids: set[str]) -> dict[str, float]:
    """Median ms between consecutive milestones of the given runs."""
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        rows = await conn.fetch(
            f"SELECT run_id, kind, data->>'state' AS state, created_at FROM \"{namespace}_ingress\""
            ".run_events WHERE kind IN ('state', 'composed', 'completed') ORDER BY seq"
        )
    finally:
        await conn.close()
    marks: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in rows:
        name = row["state"] if row["kind"] == "state" else row["kind"]
        marks[row["run_id"]].append((name, row["created_at"].timestamp()))
    gaps: dict[str, list[float]] = defaultdict(list)
    for run_id, seen in marks.items():
        if run_id not in run_ids or [name for name, _ in seen] != list(MILESTONES):
            continue  # deltas and state events may interleave differently: skip those
        for (a, at), (b, bt) in itertools.pairwise(seen):
            gaps[f"{a}->{b}"].append((bt - at) * 1000)
    return {step: round(statistics.median(ms), 2) for step, ms in gaps.items()}


def after(admin_url: str, namespace: str, sequential_run_ids: set[str]) -> dict[str, object]:
    peer = asyncio.run(
        measure_peer(
            admin_url, sequential=SEQUENTIAL_RUNS, runs=CONCURRENT_RUNS, concurrency=CONCURRENCY
        )
    )
    return {
        "profile_sequential_median_ms": {
            "milestones": asyncio.run(profile(admin_url, namespace, sequential_run_ids)),
            "hops": asyncio.run(hop_profile(admin_url, namespace, sequential_run_ids)),
        },
        "peer": peer,
    }


def main() -> None:
    figures, where = bench_stack(TIERS, after)
    peer = figures["peer"]
    ours_seq, peer_seq = figures["sequential"], peer["sequential"]  # type: ignore[index]
    ours_rate = figures["concurrent"]["runs_per_s"]  # type: ignore[index]
    peer_rate = peer["concurrent"]["runs_per_s"]  # type: ignore[index]
    print(
        json.dumps(
            {
                "bench": "run_pipeline_one_tool",
                "servers": where,
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "pack": PACK,
                "model": "scripted:tools",
                **figures,
                "ratios": {
                    "throughput_ours_over_peer": round(ours_rate / peer_rate, 3),
                    "p50_ours_over_peer": round(ours_seq["p50_ms"] / peer_seq["p50_ms"], 2),
                    "targets": {"throughput_ratio_min": 1.0, "p50_ratio_max": 3.0},
                },
            }
        )
    )


if __name__ == "__main__":
    main()
