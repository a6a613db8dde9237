"""Peer benchmark: the one-tool run on a durable LangGraph agent with its Postgres checkpointer.

Prints one JSON line. The workload mirrors our one-tool run (ARCHITECTURE.md §7): a
`StateGraph(MessagesState)` with an "agent" node calling a deterministic, offline chat
model (a `BaseChatModel` that first asks for `echo(text=<input>)`, then answers with the
tool's result) and a "tools" node (LangGraph's prebuilt `ToolNode`) running `echo`;
compiled with `AsyncPostgresSaver` (`.setup()` once). Each run is one `ainvoke` with a
new thread_id, so every step of every run is checkpointed to PostgreSQL (LangGraph's
default durability, "async", unless --durability says otherwise).

- sequential: SEQUENTIAL_RUNS runs one after another; latency of `ainvoke`; p50/p95/p99 ms.
- concurrent: CONCURRENT_RUNS runs by CONCURRENCY workers; runs/s over the batch.
- cpu_ms_per_run: this process's user+system CPU (time.process_time) over both phases
  / runs. PostgreSQL's own CPU is not included (nor is it in our figures).
- postgres per run: committed transactions and rows written (inserted + updated +
  deleted) of the benchmark's database in pg_stat_database, over both phases
  (connection set-up included), / runs.

The checkpointer: AsyncPostgresSaver serializes every database call of one instance
behind an asyncio.Lock, even over a pool, so one saver per worker (CONCURRENCY savers
over one psycopg pool of CONCURRENCY connections, configured as LangGraph's
`from_conn_string` does) is the peer at its best; `--shared-saver` measures the single
saver of LangGraph's examples instead.

PostgreSQL: VASINI_BENCH_DATABASE_URL, else VASINI_TEST_DATABASE_URL, else embedded (see
servers.py). The URL must be allowed to create databases: the benchmark runs in a fresh
database `bench_langgraph_<random>`, dropped afterwards. Backend statistics reach
pg_stat_database only when a backend flushes them (at most once a second while busy, up
to 10 s later when it goes idle, always when it exits), so the counters are read after
the benchmark's connections are closed, plus a short wait.

`measure_peer()` is the entry point for other benchmarks (e.g. to print ratios against
our own one-tool run in the same `make bench`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import secrets
import time
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from importlib.metadata import version
from typing import Any, Literal, TypeAlias

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import tool
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from psycopg import AsyncConnection, sql
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool
from servers import bench_servers
from sqlalchemy.engine import make_url

SEQUENTIAL_RUNS = 300
CONCURRENT_RUNS = 1000
CONCURRENCY = 32
QUICK = {"sequential": 20, "runs": 100}
STATS_FLUSH_S = 1.5  # backends flush statistics on exit; the collector shows them soon after
INPUT = "benchmark"

Durability: TypeAlias = Literal["sync", "async", "exit"]
Graph: TypeAlias = CompiledStateGraph[Any, Any, Any, Any]


@tool
def echo(text: str) -> str:
    """Return the text."""
    return text


class ScriptedChatModel(BaseChatModel):
    """Offline and deterministic: asks for `echo(text=<last user message>)`, then, once
    the tool has answered, replies with the tool's result (as our `scripted` model)."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @staticmethod
    def _reply(messages: Sequence[BaseMessage]) -> ChatResult:
        last = messages[-1]
        if isinstance(last, ToolMessage):
            message = AIMessage(content=f"echo said: {last.content}")
        else:
            message = AIMessage(
                content="",
                tool_calls=[
                    {
                        "name": "echo",
                        "args": {"text": str(last.content)},
                        "id": f"call_{uuid.uuid4().hex[:24]}",
                        "type": "tool_call",
                    }
                ],
            )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._reply(messages)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._reply(messages)


def build_graph(checkpointer: AsyncPostgresSaver) -> Graph:
    model = ScriptedChatModel()

    async def agent(state: MessagesState) -> dict[str, list[BaseMessage]]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    builder = StateGraph(MessagesState)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode([echo]))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition)
    builder.add_edge("tools", "agent")
    return builder.compile(checkpointer=checkpointer)


async def one_run(graph: Graph, durability: Durability) -> float:
    started = time.perf_counter()
    state = await graph.ainvoke(
        {"messages": [HumanMessage(INPUT)]},
        {"configurable": {"thread_id": uuid.uuid4().hex}},
        durability=durability,
    )
    elapsed_ms = (time.perf_counter() - started) * 1000
    messages = state["messages"]
    # human, tool call, tool result, answer: anything else is not the one-tool run
    if len(messages) != 4 or messages[-1].content != f"echo said: {INPUT}":
        raise RuntimeError(f"unexpected run: {messages!r}")
    return elapsed_ms


def percentile(values: list[float], share: float) -> float:
    """Nearest rank, as bench_runs.py, so the figures compare."""
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)], 2)


def _libpq_url(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _admin(url: str, statement: sql.Composed) -> None:
    async with await AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(statement)


async def pg_counters(url: str) -> tuple[int, int]:
    """(committed transactions, rows written) of the URL's database so far."""
    async with await AsyncConnection.connect(url, autocommit=True) as conn:
        cursor = await conn.execute(
            "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted "
            "FROM pg_stat_database WHERE datname = current_database()"
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row[0]), int(row[1])


def _pool(url: str, size: int) -> AsyncConnectionPool[AsyncConnection[DictRow]]:
    # The connection settings of AsyncPostgresSaver.from_conn_string.
    return AsyncConnectionPool(
        url,
        min_size=size,
        max_size=size,
        open=False,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
    )


async def _measure(
    url: str,
    *,
    sequential: int,
    runs: int,
    concurrency: int,
    durability: Durability,
    shared_saver: bool,
) -> dict[str, Any]:
    # Schema and warm-up on their own connections, closed (statistics flushed) before
    # the first reading, so the counters hold the measured runs only.
    async with _pool(url, 1) as pool:
        saver = AsyncPostgresSaver(pool)
        await saver.setup()
        for _ in range(3):
            await one_run(build_graph(saver), durability)
    await asyncio.sleep(STATS_FLUSH_S)
    xacts_before, rows_before = await pg_counters(url)

    async with _pool(url, concurrency) as pool:
        await pool.wait()
        savers = [AsyncPostgresSaver(pool)] * (1 if shared_saver else concurrency)
        graphs = [build_graph(saver) for saver in savers]
        await one_run(graphs[0], durability)  # warm the new connections' first use
        cpu_before = time.process_time()

        latencies = [await one_run(graphs[0], durability) for _ in range(sequential)]

        remaining = runs

        async def worker(graph: Graph) -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                await one_run(graph, durability)

        started = time.perf_counter()
        await asyncio.gather(*(worker(graphs[slot % len(graphs)]) for slot in range(concurrency)))
        concurrent_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu_before

    await asyncio.sleep(STATS_FLUSH_S)
    xacts_after, rows_after = await pg_counters(url)
    measured = sequential + runs + 1
    return {
        "sequential": {
            "runs": sequential,
            "p50_ms": percentile(latencies, 0.50),
            "p95_ms": percentile(latencies, 0.95),
            "p99_ms": percentile(latencies, 0.99),
            "mean_ms": round(sum(latencies) / len(latencies), 2),
        },
        "concurrent": {
            "runs": runs,
            "concurrency": concurrency,
            "runs_per_s": round(runs / concurrent_s, 1),
        },
        "cpu_ms_per_run": round(cpu_s * 1000 / (sequential + runs), 2),
        "postgres": {
            "xact_per_run": round((xacts_after - xacts_before) / measured, 1),
            "rows_written_per_run": round((rows_after - rows_before) / measured, 1),
        },
    }


async def measure_peer(
    database_url: str,
    *,
    sequential: int,
    runs: int,
    concurrency: int,
    durability: Durability = "async",
    shared_saver: bool = False,
) -> dict[str, Any]:
    """The peer's figures on the PostgreSQL server of `database_url` (a role that may
    create databases), in a fresh database dropped afterwards. Measures this process's
    CPU: run it alone on the event loop."""
    name = f"bench_langgraph_{secrets.token_hex(4)}"
    admin = _libpq_url(database_url)
    await _admin(admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        figures = await _measure(
            _libpq_url(database_url, name),
            sequential=sequential,
            runs=runs,
            concurrency=concurrency,
            durability=durability,
            shared_saver=shared_saver,
        )
    finally:
        await _admin(
            admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    return {
        "bench": "langgraph_peer_one_tool",
        **figures,
        "checkpointer": {
            "kind": "AsyncPostgresSaver",
            "durability": durability,
            "savers": 1 if shared_saver else concurrency,
            "pool_size": concurrency,
        },
        "model": "scripted BaseChatModel (offline)",
        "versions": {
            "langgraph": version("langgraph"),
            "langgraph_checkpoint_postgres": version("langgraph-checkpoint-postgres"),
            "langchain_core": version("langchain-core"),
            "psycopg": version("psycopg"),
            "python": platform.python_version(),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20 + 100 runs")
    parser.add_argument("--durability", choices=["sync", "async", "exit"], default="async")
    parser.add_argument(
        "--shared-saver", action="store_true", help="one AsyncPostgresSaver for all workers"
    )
    args = parser.parse_args()
    sequential = QUICK["sequential"] if args.quick else SEQUENTIAL_RUNS
    runs = QUICK["runs"] if args.quick else CONCURRENT_RUNS
    with ExitStack() as servers:
        database_url, _, where = bench_servers(servers)
        figures = asyncio.run(
            measure_peer(
                database_url,
                sequential=sequential,
                runs=runs,
                concurrency=CONCURRENCY,
                durability=args.durability,
                shared_saver=args.shared_saver,
            )
        )
    print(json.dumps({**figures, "servers": where}))


if __name__ == "__main__":
    main()
