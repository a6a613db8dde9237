"""What a sandboxed execution may use, and what it produced.

The limits are the pack's TOOLS `sandbox` section made concrete: wall-clock timeout,
memory, CPU time, process count, output size, network (none in this release of the
executor), and the one writable folder (the run's workspace).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
