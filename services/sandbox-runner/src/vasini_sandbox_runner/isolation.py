"""What isolation works on this host, found by trying it once at start-up.

Without working isolation the runner still starts (echo, file and HTTP tools need no
process), but every call that would run a process is refused with
`SANDBOX_UNAVAILABLE`; untrusted code never runs bare.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Protocol

from vasini_chassis.logging import get_logger
from vasini_sandbox_runner.domain.sandbox import Execution, Outcome, SandboxUnavailable
from vasini_sandbox_runner.service import Isolation

log = get_logger(__name__)
PROBING = Isolation("unknown", {}, "the start-up probe has not finished")


class UnavailableSandbox:
    """The sandbox when bubblewrap is missing: refuses every execution, saying why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def isolation(self) -> dict[str, object]:
        return {"kind": "none"}

    async def verify(self, workspace: Path) -> None:
        raise SandboxUnavailable(self.reason)

    async def run(self, execution: Execution) -> Outcome:
        raise SandboxUnavailable(self.reason)


class ProbedSandbox(Protocol):
    """A sandbox that can say what it isolates and check that it works."""

    def isolation(self) -> dict[str, object]: ...

    async def verify(self, workspace: Path) -> None: ...


class IsolationProbe:
    def __init__(self, sandbox: ProbedSandbox) -> None:
        self._sandbox = sandbox
        self.isolation = PROBING

    async def probe(self) -> Isolation:
        detail = self._sandbox.isolation()
        with tempfile.TemporaryDirectory(prefix="vasini-probe-") as folder:
            try:
                await self._sandbox.verify(Path(folder))
            except SandboxUnavailable as error:
                self.isolation = Isolation("none", detail, str(error))
                log.error(
                    "no working isolation: tools that run processes are refused",
                    problem=str(error),
                )
                return self.isolation
        self.isolation = Isolation(str(detail.get("kind", "unknown")), detail)
        log.info("isolation probed", **detail)
        return self.isolation

    def report(self) -> dict[str, object]:
        """For `/isolation`: the kind, its details, and the problem if there is none."""
        return {
            "kind": self.isolation.kind,
            "detail": dict(self.isolation.detail),
            "problem": self.isolation.problem,
            "code_tools": "refused" if self.isolation.problem else "allowed",
        }
