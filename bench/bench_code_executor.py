"""code_executor start-up overhead: a sandboxed `python3 -c pass` vs a plain one.

Prints one JSON line. CALLS sequential calls of each, interleaved (sandbox, plain,
sandbox, ...) so drift on the machine hits both alike, after WARM_UP calls of each:

- sandbox: `BwrapSandbox().run(Execution(argv=("/usr/bin/python3", "-I", "-c", "pass"),
  workspace=<tmp>))`, the sandbox-runner's bubblewrap adapter as code_executor uses it
  (namespaces, rlimits set in a pre-exec hook, pipes read to EOF, default Limits);
- plain: `asyncio.create_subprocess_exec("/usr/bin/python3", "-I", "-c", "pass")` awaited;
- sandbox_true: the same sandbox running `/usr/bin/true`, i.e. the sandbox's own cost
  without the interpreter's start-up.

Latency is wall clock from the call to the process's exit, p50/p95/mean in ms; the
overhead is the difference of the p50s and their ratio. Without bubblewrap (or when it
cannot create namespaces here) the line says "skipped" and the script exits 0.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from vasini_sandbox_runner.adapters.bwrap import BwrapSandbox
from vasini_sandbox_runner.domain.sandbox import Execution, SandboxUnavailable

CALLS = 50
WARM_UP = 3
PYTHON = ("/usr/bin/python3", "-I", "-c", "pass")


def percentile(values: list[float], share: float) -> float:
    """Nearest rank, as the other benchmarks."""
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)], 2)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(values, 0.50),
        "p95_ms": percentile(values, 0.95),
        "mean_ms": round(statistics.fmean(values), 2),
    }


async def timed(call: Callable[[], Awaitable[None]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def measure(sandbox: BwrapSandbox, workspace: Path) -> dict[str, object]:
    async def sandboxed(argv: tuple[str, ...]) -> None:
        outcome = await sandbox.run(Execution(argv=argv, workspace=workspace))
        if outcome.exit_code != 0:
            stderr = outcome.stderr.decode(errors="replace")
            raise RuntimeError(f"sandboxed {argv} failed ({outcome.exit_code}): {stderr}")

    async def sandboxed_python() -> None:
        await sandboxed(PYTHON)

    async def sandboxed_true() -> None:
        await sandboxed(("/usr/bin/true",))

    async def plain() -> None:
        process = await asyncio.create_subprocess_exec(*PYTHON)
        if await process.wait() != 0:
            raise RuntimeError("plain python3 failed")

    kinds = {"sandbox": sandboxed_python, "plain": plain, "sandbox_true": sandboxed_true}
    for call in kinds.values():
        for _ in range(WARM_UP):
            await call()
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(CALLS):
        for kind, call in kinds.items():
            samples[kind].append(await timed(call))
    figures = {kind: summary(values) for kind, values in samples.items()}
    sandbox_p50, plain_p50 = figures["sandbox"]["p50_ms"], figures["plain"]["p50_ms"]
    return {
        **figures,
        "overhead": {
            "p50_ms": round(sandbox_p50 - plain_p50, 2),
            "p50_ratio": round(sandbox_p50 / plain_p50, 2),
        },
    }


def main() -> None:
    line: dict[str, object] = {
        "bench": "code_executor_startup",
        "calls": CALLS,
        "argv": list(PYTHON),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    try:
        sandbox = BwrapSandbox()
    except SandboxUnavailable:
        print(json.dumps({**line, "skipped": "bubblewrap not installed"}))
        return
    with tempfile.TemporaryDirectory(prefix="vasini-bench-") as tmp:
        workspace = Path(tmp)
        try:
            asyncio.run(sandbox.verify(workspace))
        except SandboxUnavailable as refused:
            print(json.dumps({**line, "skipped": str(refused)}))
            return
        figures = asyncio.run(measure(sandbox, workspace))
    print(json.dumps({**line, **figures}))


if __name__ == "__main__":
    main()
