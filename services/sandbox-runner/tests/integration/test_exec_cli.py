"""`python -m vasini_sandbox_runner.exec_cli` as a pack author runs it: JSON out,
exit 2 with one clear line for bad input, exit 3 without a sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

RUNNER = (sys.executable, "-m", "vasini_sandbox_runner.exec_cli")
TOOLS_YAML = """\
schema_version: "1.0"
available:
  - id: code_executor
    name: Code
    sandbox: {timeout: 1s, memory_limit: 256Mi}
  - id: file_manager
    name: Files
  - id: weather
    name: Weather
    kind: http
    endpoint: https://weather.example.com/v1
denied: [git]
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUNNER, *args], capture_output=True, text=True, env=env, check=False, timeout=60
    )


def report(completed: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert completed.stderr == "", completed.stderr
    value: dict[str, Any] = json.loads(completed.stdout)
    return value


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "TOOLS.yaml"
    path.write_text(TOOLS_YAML)
    return path


def test_code_executor_runs_in_bubblewrap_and_prints_json(tmp_path: Path) -> None:
    code = json.dumps({"language": "python", "code": "import os; print(os.getuid())"})

    completed = run("--tool", "code_executor", "--args", code, "--workspace", str(tmp_path))

    result = report(completed)
    assert completed.returncode == 0
    assert result["output"] == "65534\n"
    assert (result["is_error"], result["exit_code"], result["timed_out"]) == (False, 0, False)
    assert result["truncated"] is False
    assert result["isolation"]["kind"] == "bubblewrap"
    assert result["isolation"]["network"] == "none"
    assert isinstance(result["duration_ms"], int)
    assert (result["workspace"], result["workspace_temporary"]) == (str(tmp_path), False)


def test_without_a_workspace_a_fresh_temporary_one_is_used_and_named() -> None:
    args = json.dumps({"op": "write", "path": "out.txt", "content": "kept"})

    result = report(run("--tool", "file_manager", "--args", args))

    workspace = Path(result["workspace"])
    try:
        assert result["workspace_temporary"] is True
        assert (workspace / "out.txt").read_text() == "kept"
        assert result["isolation"]["kind"] == "confined-fs"
    finally:
        shutil.rmtree(workspace)


def test_a_tool_error_exits_1_with_the_json(tmp_path: Path) -> None:
    args = json.dumps({"op": "read", "path": "/etc/passwd"})

    completed = run("--tool", "file_manager", "--args", args, "--workspace", str(tmp_path))

    assert completed.returncode == 1
    result = report(completed)
    assert result["is_error"] is True
    assert "is absolute" in result["output"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tool", "echo", "--args", "{text: hi}"), "error: --args is not valid JSON: "),
        (("--tool", "echo", "--args", "[1]"), "error: --args must be a JSON object, not list"),
        (("--tool", "rm", "--args", "{}"), "error: no built-in tool `rm`; built-ins: echo, "),
        (("--tool", "echo", "--args", '{"txt": 1}'), "error: invalid arguments for `echo`: "),
        (
            (
                "--args",
                "{}",
            ),
            "error: the following arguments are required: --tool",
        ),
        (
            ("--tool", "echo", "--args", "{}", "--workspace", "/nonexistent/ws"),
            "error: invalid arguments for `echo`",
        ),
        (
            ("--tool", "echo", "--args", '{"text": "x"}', "--workspace", "/nonexistent/ws"),
            "error: --workspace /nonexistent/ws: not an existing folder",
        ),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(args: tuple[str, ...], message: str) -> None:
    completed = run(*args)

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.startswith(message), completed.stderr
    assert completed.stderr.count("\n") == 1
    assert "Traceback" not in completed.stderr


def test_policy_applies_the_declared_timeout_and_memory(policy: Path, tmp_path: Path) -> None:
    code = json.dumps({"language": "python", "code": "while True: pass"})

    completed = run(
        "--tool", "code_executor", "--args", code, "--policy", str(policy),
        "--workspace", str(tmp_path),
    )  # fmt: skip

    result = report(completed)
    assert completed.returncode == 1
    assert result["timed_out"] is True
    assert "[killed: exceeded 1s]" in result["output"]
    assert result["limits"] == {"timeout_s": 1.0, "memory_bytes": 256 * 1024 * 1024}


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("git", {"op": "init"}, "tool `git` is denied by {policy}"),
        (
            "echo",
            {"text": "x"},
            "tool `echo` is not declared in {policy} "
            "(declared: code_executor, file_manager, weather)",
        ),
        ("weather", {}, "no built-in tool `weather`; built-ins: echo, code_executor, "),
    ],
)
def test_policy_refuses_denied_and_undeclared_tools(
    policy: Path, tool: str, args: dict[str, Any], message: str
) -> None:
    completed = run("--tool", tool, "--args", json.dumps(args), "--policy", str(policy))

    assert completed.returncode == 2
    assert completed.stderr.startswith("error: " + message.format(policy=policy))


def test_a_file_that_is_not_a_tools_layer_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "TOOLS.yaml"
    bad.write_text('schema_version: "1.0"\navailable: [{id: echo}]\n')

    completed = run("--tool", "echo", "--args", '{"text": "x"}', "--policy", str(bad))

    assert completed.returncode == 2
    assert completed.stderr == (
        f"error: --policy {bad}: not a TOOLS layer: available.0.name: Field required\n"
    )


def test_without_bubblewrap_process_tools_exit_3(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PATH"} | {"PATH": str(tmp_path)}
    code = json.dumps({"language": "bash", "code": "echo unconfined"})

    completed = run(
        "--tool", "code_executor", "--args", code, "--workspace", str(tmp_path), env=env
    )  # fmt: skip

    assert completed.returncode == 3
    assert completed.stdout == ""
    assert completed.stderr.startswith("error: no sandbox: bubblewrap is not installed")
    assert completed.stderr.count("\n") == 1
