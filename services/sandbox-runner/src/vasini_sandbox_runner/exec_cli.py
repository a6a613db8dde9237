"""Run one built-in tool locally, through the same sandbox the service uses.

    python -m vasini_sandbox_runner.exec_cli --tool ID --args JSON
        [--workspace DIR] [--policy TOOLS.yaml]

(`vasini sandbox exec` runs this module.) Prints the result as one JSON object:
output, is_error, exit_code, timed_out, truncated, duration_ms, isolation, workspace.
Without --workspace a fresh temporary folder is used and kept, so what the tool left
can be inspected. With --policy, the tool must be declared in that TOOLS layer and
not denied, and its `sandbox.timeout` / `memory_limit` apply.

Exit codes: 0 the tool succeeded, 1 it returned an error, 2 bad usage (JSON, tool,
arguments, policy), 3 no working sandbox (bubblewrap missing or refused).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn

from vasini_sandbox_runner.adapters.bwrap import BwrapSandbox
from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles
from vasini_sandbox_runner.domain.sandbox import (
    Execution,
    Limits,
    Outcome,
    SandboxError,
    SandboxUnavailable,
    declared_limits,
)
from vasini_sandbox_runner.domain.tools import BuiltinTools, ToolError

USAGE, NO_SANDBOX = 2, 3
_PROCESS_TOOLS = frozenset({"code_executor", "git"})

MAX_TIMEOUT_S = 3_600.0  # the longest a call may be declared to run


class _Usage(Exception):
    """Bad input from the user: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        _fail(f"error: {message}")
        sys.exit(USAGE)


class _NoProcess:
    """The sandbox of tools that start no process (echo, file_manager)."""

    async def run(self, execution: Execution) -> Outcome:
        raise SandboxUnavailable(f"{execution.argv[0]}: this tool may not start processes")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vasini sandbox exec",
        description="Run one built-in tool through the sandbox and print the result as JSON.",
    )
    parser.add_argument("--tool", required=True, help="built-in tool id, e.g. code_executor")
    parser.add_argument("--args", required=True, help="the tool's arguments as a JSON object")
    parser.add_argument(
        "--workspace", type=Path, help="folder bound at /workspace (default: a new temp folder)"
    )
    parser.add_argument(
        "--policy", type=Path, help="a pack TOOLS.yaml: the tool must be declared there"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        arguments = _arguments(args.args)
        files = ConfinedFiles()
        tools = BuiltinTools(_NoProcess(), files)
        tools.validate(args.tool, arguments)
        limits = _policy_limits(args.policy, args.tool) if args.policy else Limits()
        # Constructed before the workspace: no temporary folder is left for nothing.
        sandbox = BwrapSandbox() if args.tool in _PROCESS_TOOLS else None
        workspace, temporary = _workspace(args.workspace)
        if sandbox is not None:
            asyncio.run(sandbox.verify(workspace))
            tools = BuiltinTools(sandbox, files)
        started = time.monotonic()
        result = asyncio.run(tools.call(args.tool, arguments, workspace, limits))
    except (_Usage, ToolError) as exc:
        _fail(f"error: {exc}")
        return USAGE
    except SandboxUnavailable as exc:
        _fail(f"error: no sandbox: {exc}")
        return NO_SANDBOX
    except (SandboxError, OSError) as exc:
        _fail(f"error: {exc}")
        return 1
    isolation: dict[str, object] = {"kind": "none", "reason": "echo starts no process"}
    if sandbox is not None:
        isolation = sandbox.isolation()
    elif args.tool == "file_manager":
        isolation = files.isolation()
    report = {
        "tool": args.tool,
        "output": result.output,
        "is_error": result.is_error,
        "exit_code": result.exit_code,
        "timed_out": result.timed_out,
        "truncated": result.truncated,
        "duration_ms": round((time.monotonic() - started) * 1000),
        "isolation": isolation,
        "workspace": str(workspace),
        "workspace_temporary": temporary,
        "limits": {"timeout_s": limits.timeout_s, "memory_bytes": limits.memory_bytes},
    }
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 1 if result.is_error else 0


def _fail(line: str) -> None:
    sys.stderr.write(line + "\n")


def _arguments(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Usage(f"--args is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise _Usage(f"--args must be a JSON object, not {type(value).__name__}")
    return value


def _workspace(given: Path | None) -> tuple[Path, bool]:
    if given is None:
        return Path(tempfile.mkdtemp(prefix="vasini-sandbox-")), True
    if not given.is_dir():
        raise _Usage(f"--workspace {given}: not an existing folder")
    return given.resolve(), False


def _policy_limits(path: Path, tool_id: str) -> Limits:
    """The limits a pack's TOOLS layer declares for the tool; _Usage if it may not run."""
    # Imported here: only --policy needs the pack library.
    from pydantic import ValidationError  # noqa: PLC0415

    from vasini_packs import PackInvalid  # noqa: PLC0415
    from vasini_packs.models import Tools  # noqa: PLC0415
    from vasini_packs.yaml_reader import read_yaml  # noqa: PLC0415

    try:
        layer = Tools.model_validate(read_yaml(path, str(path)).data)
    except PackInvalid as exc:
        problem = exc.problems[0]
        raise _Usage(f"--policy {problem.origin.render()}: {problem.message}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the file"
        raise _Usage(f"--policy {path}: not a TOOLS layer: {where}: {first['msg']}") from exc
    if tool_id in (layer.denied or ()):
        raise _Usage(f"tool `{tool_id}` is denied by {path}")
    tools = {tool.id: tool for tool in layer.available or ()}
    tool = tools.get(tool_id)
    if tool is None:
        names = ", ".join(tools) or "none"
        raise _Usage(f"tool `{tool_id}` is not declared in {path} (declared: {names})")
    if tool.kind != "builtin":
        raise _Usage(f"tool `{tool_id}` is kind `{tool.kind}`; only built-in tools run here")
    declared = tool.sandbox
    return declared_limits(
        Limits(),
        declared.timeout if declared else None,
        declared.memory_limit if declared else None,
        max_timeout_s=MAX_TIMEOUT_S,
    )


if __name__ == "__main__":
    sys.exit(main())
