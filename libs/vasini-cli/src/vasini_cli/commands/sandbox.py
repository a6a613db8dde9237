"""`vasini sandbox exec`: run one built-in tool locally through the sandbox.

The work is done by the sandbox-runner's `vasini_sandbox_runner.exec_cli`, started as
`python -m` with this interpreter: a lib never imports a service, and the workspace
install puts every member on the path. Its exit code and output pass through
unchanged (0 ok, 1 the tool returned an error, 2 bad usage, 3 no working sandbox).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

from vasini_cli.main import COMMANDS

RUNNER_MODULE = "vasini_sandbox_runner.exec_cli"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = subparsers.add_parser(
        "sandbox",
        help=COMMANDS["sandbox"],
        description="Try built-in tools in the same sandbox the sandbox-runner uses.",
    )
    actions = sandbox.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    execute = actions.add_parser(
        "exec",
        help="run one built-in tool and print the result as JSON",
        description="Run one built-in tool (echo, code_executor, file_manager, git) and "
        "print output, is_error, exit_code, timed_out, truncated, duration_ms and the "
        "isolation used, as JSON. Exit 0 ok, 1 tool error, 2 bad usage, 3 no sandbox.",
    )
    execute.add_argument("--tool", required=True, metavar="ID", help="built-in tool id")
    execute.add_argument("--args", required=True, metavar="JSON", help="arguments (JSON object)")
    execute.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="bound at /workspace (default: a new temp dir)",
    )
    execute.add_argument(
        "--policy",
        type=Path,
        metavar="TOOLS.yaml",
        help="a pack's TOOLS layer: the tool must be declared there; its sandbox limits apply",
    )
    execute.set_defaults(run=run_exec)


def run_exec(args: argparse.Namespace) -> int:
    if importlib.util.find_spec(RUNNER_MODULE.rpartition(".")[0]) is None:
        print(
            "error: the sandbox-runner is not installed in this environment "
            "(run `make setup`, which installs every workspace member)",
            file=sys.stderr,
        )
        return 1
    argv = [sys.executable, "-m", RUNNER_MODULE, "--tool", args.tool, "--args", args.args]
    if args.workspace is not None:
        argv += ["--workspace", str(args.workspace)]
    if args.policy is not None:
        argv += ["--policy", str(args.policy)]
    return subprocess.run(argv, check=False).returncode  # noqa: S603 - our own interpreter
