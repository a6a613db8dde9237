"""What a sandboxed execution may use, and what it produced.

The limits are the pack's TOOLS `sandbox` section made concrete: wall-clock timeout,
memory, CPU time, process count, output size, network (none in this release of the
executor), and the one writable folder (the run's workspace).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from vasini_packs.units import memory_bytes, seconds


class SandboxError(Exception):
    """Base of the sandbox errors."""


class SandboxUnavailable(SandboxError):
    """No working isolation on this host: untrusted code is refused, never run bare."""


@dataclass(frozen=True, slots=True)
class Limits:
    timeout_s: float = 30.0
    memory_bytes: int = 512 * 1024 * 1024
    cpu_seconds: int = 30
    max_processes: int = 64
    max_output_bytes: int = 1024 * 1024
    max_file_bytes: int = 64 * 1024 * 1024
    workspace_max_bytes: int = 256 * 1024 * 1024  # quota of the whole workspace (workspace.py)
    workspace_max_files: int = 10_000


def declared_limits(
    base: Limits, timeout: str | None, memory_limit: str | None, *, max_timeout_s: float
) -> Limits:
    """`base` with a pack tool's `sandbox.timeout` / `memory_limit` (pack units: `30s`,
    `512Mi`), the timeout capped at `max_timeout_s`. The CPU budget follows the
    timeout: a 5-minute tool must not die at the default 30 CPU seconds."""
    limits = base
    wall = min(seconds(timeout), max_timeout_s) if timeout else min(base.timeout_s, max_timeout_s)
    limits = replace(limits, timeout_s=wall, cpu_seconds=max(1, math.ceil(wall)))
    if memory_limit:
        limits = replace(limits, memory_bytes=memory_bytes(memory_limit))
    return limits


@dataclass(frozen=True, slots=True)
class Execution:
    """A command to run: `argv` inside the sandbox, `workspace` bound read-write at
    `/workspace` (its working directory), `stdin` fed to it."""

    argv: tuple[str, ...]
    workspace: Path
    limits: Limits = field(default_factory=Limits)
    stdin: bytes = b""


@dataclass(frozen=True, slots=True)
class Outcome:
    exit_code: int | None  # None when it was killed
    stdout: bytes
    stderr: bytes
    timed_out: bool = False
    output_truncated: bool = False
