"""Running untrusted commands under bubblewrap.

Each execution gets new user, pid, network, ipc, uts and cgroup namespaces, a
non-root uid with no capabilities, `--die-with-parent` and `--new-session`, an empty
environment (bwrap itself is started with an empty env: `--clearenv` alone would leave
the parent's variables readable through /proc), read-only binds of /usr only, a
private /tmp and /proc, and the run's workspace as the one writable folder. Resource
limits are rlimits set before exec; the wall clock is enforced here by killing the
whole process group; output beyond the cap is cut and the process killed.
If bubblewrap is missing or cannot create namespaces, nothing runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import signal
from functools import partial
from pathlib import Path

from vasini_sandbox_runner.domain.sandbox import (
    Execution,
    Limits,
    Outcome,
    SandboxUnavailable,
)

SANDBOX_UID = 65534  # nobody
_READ_CHUNK = 64 * 1024
_ROOTFS = (
    ("--ro-bind", "/usr", "/usr"),
    ("--symlink", "usr/lib", "/lib"),
    ("--symlink", "usr/lib64", "/lib64"),
    ("--symlink", "usr/bin", "/bin"),
    ("--symlink", "usr/sbin", "/sbin"),
)


class BwrapSandbox:
    def __init__(self, bwrap: str | None = None) -> None:
        found = bwrap or shutil.which("bwrap")
        if found is None:
            raise SandboxUnavailable(
                "bubblewrap is not installed (Debian: apt-get install bubblewrap); "
                "tools are refused rather than run without isolation"
            )
        self._bwrap = found

    def isolation(self) -> dict[str, object]:
        """What contains an execution, for health checks and the audit."""
        return {
            "kind": "bubblewrap",
            "binary": self._bwrap,
            "namespaces": ["user", "pid", "net", "ipc", "uts", "cgroup"],
            "uid": SANDBOX_UID,
            "capabilities": [],
            "network": "none",
            "writable": ["/workspace", "a private tmpfs at /tmp"],
        }

    async def verify(self, workspace: Path) -> None:
        """Run `true` in a sandbox; SandboxUnavailable if namespaces are refused."""
        outcome = await self.run(Execution(argv=("/usr/bin/true",), workspace=workspace))
        if outcome.exit_code != 0:
            raise SandboxUnavailable(
                "bubblewrap cannot create a sandbox here: "
                + outcome.stderr.decode(errors="replace").strip()
            )

    async def run(self, execution: Execution) -> Outcome:
        limits = execution.limits
        process = await asyncio.create_subprocess_exec(
            *self._argv(execution),
            env={},
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
            # rlimits must be set in the child before exec: preexec_fn is the only hook.
            preexec_fn=partial(_apply_limits, limits),
        )
        capped = _Capped(limits.max_output_bytes)
        try:
            code = await asyncio.wait_for(
                self._communicate(process, execution.stdin, capped), timeout=limits.timeout_s
            )
        except TimeoutError:
            _kill_group(process)
            # Drain to EOF so the pipes close: the pid namespace dies with bwrap.
            await process.communicate()
            return capped.outcome(None, timed_out=True)
        return capped.outcome(None if capped.truncated else code)

    def _argv(self, execution: Execution) -> list[str]:
        argv = [
            self._bwrap,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--uid",
            str(SANDBOX_UID),
            "--gid",
            str(SANDBOX_UID),
            "--hostname",
            "sandbox",
        ]
        for entry in _ROOTFS:
            argv += entry
        argv += [
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/tmp",  # noqa: S108 - a private tmpfs inside the sandbox, not the host's /tmp
            "--bind",
            str(execution.workspace),
            "/workspace",
            "--chdir",
            "/workspace",
            "--setenv",
            "PATH",
            "/usr/bin:/bin",
            "--setenv",
            "HOME",
            "/workspace",
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--",
            *execution.argv,
        ]
        return argv

    @staticmethod
    async def _communicate(
        process: asyncio.subprocess.Process, stdin: bytes, capped: _Capped
    ) -> int:
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        # A process that already exited has closed its end: nothing to write to (uvloop
        # raises on a write to the closed pipe; asyncio's loop drops it).
        if not process.stdin.is_closing():
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                process.stdin.write(stdin)
                await process.stdin.drain()
        process.stdin.close()

        async def pump(stream: asyncio.StreamReader, into: bytearray) -> None:
            # Reads to EOF even past the cap: a pipe left unread stays paused, never
            # sees EOF, and then process.wait() never returns.
            while chunk := await stream.read(_READ_CHUNK):
                if not capped.keep(into, chunk) and not capped.killed:
                    capped.killed = True
                    _kill_group(process)

        await asyncio.gather(
            pump(process.stdout, capped.stdout), pump(process.stderr, capped.stderr)
        )
        return await process.wait()


class _Capped:
    """Output kept up to a total cap across stdout and stderr."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.truncated = False
        self.killed = False

    def keep(self, into: bytearray, chunk: bytes) -> bool:
        room = self.cap - len(self.stdout) - len(self.stderr)
        into += chunk[: max(room, 0)]
        if len(chunk) > room:
            self.truncated = True
            return False
        return True

    def outcome(self, code: int | None, *, timed_out: bool = False) -> Outcome:
        return Outcome(
            exit_code=code,
            stdout=bytes(self.stdout),
            stderr=bytes(self.stderr),
            timed_out=timed_out,
            output_truncated=self.truncated,
        )


def _apply_limits(limits: Limits) -> None:
    """Runs in the child before exec (bwrap and everything it starts inherit these)."""
    for kind, value in (
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_NPROC, limits.max_processes),
        (resource.RLIMIT_FSIZE, limits.max_file_bytes),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(kind, (value, value))


def _kill_group(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
