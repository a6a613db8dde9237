"""The services of the dev stack, each its own process, as in production.

`ServiceStack.start` launches them with the stack's settings (logs in
`<data-dir>/logs/<service>.log`), waits until ingress answers /readyz, and `stop`
sends SIGTERM (graceful: in-flight work finishes) and waits for every process.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

SERVICES = ("composer", "policy", "runtime-worker", "sandbox-runner", "ingress")
READY_TIMEOUT_S = 90.0


def tiers_json(model: str) -> str:
    """LLM router tiers (as the runtime-worker reads them) all served by `model`."""
    return json.dumps({tier: [model] for tier in ("tier-1", "tier-2", "tier-3")})


# Every tier on the offline scripted model: the dev stack needs no API key or network.
OFFLINE_TIERS = tiers_json("scripted:answer")
STOP_TIMEOUT_S = 20.0


class StackError(Exception):
    """A service did not come up; the message names it and shows its last log lines."""


@dataclass
class StackSettings:
    database_url: str
    database_admin_url: str
    redis_url: str
    data_dir: Path
    packs_dir: Path
    port: int
    sandbox_port: int = 0  # the sandbox-runner's /isolation and health; 0 = any free port
    llm_tiers_json: str = OFFLINE_TIERS
    extra_env: dict[str, str] = field(default_factory=dict)
    namespace: str = ""  # tests: a prefix for streams and schemas, so stacks never meet
    replicas: dict[str, int] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def isolation_url(self) -> str:
        return f"http://127.0.0.1:{self.sandbox_port}/isolation"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def admin_key(data_dir: Path) -> str:
    """The stack's admin key, created once and kept in the data dir (mode 600)."""
    path = data_dir / "admin_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = f"vadmin_{secrets.token_urlsafe(24)}"
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


@dataclass
class ServiceStack:
    settings: StackSettings
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)

    def start(self) -> None:
        logs = self.settings.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        if not self.settings.sandbox_port:
            self.settings.sandbox_port = free_port()
        for service in SERVICES:
            for replica in range(1, self.settings.replicas.get(service, 1) + 1):
                name = service if replica == 1 else f"{service}-{replica}"
                self.processes[name] = self.launch(service, name)
        self._wait_ready()

    def launch(self, service: str, name: str) -> subprocess.Popen[bytes]:
        """One process of `service`, logging to `<data-dir>/logs/<name>.log`."""
        log = (self.settings.data_dir / "logs" / f"{name}.log").open("ab")
        self._logs.append(log)
        return subprocess.Popen(  # noqa: S603 - fixed argv: our own service modules
            [sys.executable, "-m", f"vasini_{service.replace('-', '_')}"],
            env=self._env(service, first=name == service),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._logs:
            log.close()

    def _env(self, service: str, *, first: bool) -> dict[str, str]:
        s = self.settings
        scoped: dict[str, str] = {}
        if s.namespace:
            prefix = service.upper().replace("-", "_")
            scoped = {
                "VASINI_STREAM_PREFIX": f"{s.namespace}.",
                f"VASINI_{prefix}_DB_SCHEMA": f"{s.namespace}_{service.replace('-', '_')}",
            }
        return {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "VASINI_DATABASE_URL": s.database_url,
            "VASINI_DATABASE_ADMIN_URL": s.database_admin_url,
            "VASINI_REDIS_URL": s.redis_url,
            "VASINI_LOG_JSON": "true",
            "VASINI_COMPOSER_PACKS_DIR": str(s.packs_dir),
            "VASINI_INGRESS_HTTP_PORT": str(s.port),
            "VASINI_INGRESS_ADMIN_KEY": admin_key(s.data_dir),
            "VASINI_RUNTIME_WORKER_LLM__TIERS": s.llm_tiers_json,
            "VASINI_SANDBOX_RUNNER_HTTP_PORT": str(s.sandbox_port if first else 0),
            "VASINI_SANDBOX_RUNNER_WORKSPACES_DIR": str(s.data_dir / "workspaces"),
            **scoped,
            **s.extra_env,
        }

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise StackError(f"{name} exited ({process.returncode}):\n{self.tail(name)}")
            try:
                if httpx.get(f"{self.settings.api_url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise StackError(
            f"ingress was not ready after {READY_TIMEOUT_S:.0f}s:\n{self.tail('ingress')}"
        )

    def isolation(self) -> str:
        """What the sandbox-runner reports about its isolation, in one line."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                report = httpx.get(self.settings.isolation_url, timeout=2).json()
            except (httpx.HTTPError, ValueError):
                report = {"kind": "unknown"}
            if report.get("kind") != "unknown":
                problem = report.get("problem")
                return f"{report['kind']}" + (
                    f" (code tools refused: {problem})" if problem else ""
                )
            time.sleep(0.2)
        return "unknown (the sandbox-runner did not report)"

    def tail(self, name: str, lines: int = 15) -> str:
        path = self.settings.data_dir / "logs" / f"{name}.log"
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
