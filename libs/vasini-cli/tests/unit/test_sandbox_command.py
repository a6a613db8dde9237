"""`vasini sandbox exec` hands its arguments to the sandbox-runner's exec_cli and passes
its output and exit code through."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from vasini_cli.main import main


def test_echo_prints_the_result_as_json(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(
        [
            "sandbox",
            "exec",
            "--tool",
            "echo",
            "--args",
            '{"text": "hi"}',
            "--workspace",
            str(tmp_path),
        ]
    )

    out, err = capfd.readouterr()
    result = json.loads(out)
    assert (code, err) == (0, "")
    assert (result["output"], result["is_error"], result["exit_code"]) == ("hi", False, 0)
    assert result["workspace"] == str(tmp_path)
    assert {"timed_out", "truncated", "duration_ms", "isolation"} <= result.keys()


def test_workspace_and_policy_are_passed_through(
    capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "TOOLS.yaml"
    policy.write_text('schema_version: "1.0"\navailable: [{id: file_manager, name: Files}]\n')
    workspace = tmp_path / "ws"
    workspace.mkdir()
    arguments = json.dumps({"op": "write", "path": "note.md", "content": "# hi"})

    code = main(
        [
            "sandbox", "exec", "--tool", "file_manager", "--args", arguments,
            "--workspace", str(workspace), "--policy", str(policy),
        ]
    )  # fmt: skip

    out, _ = capfd.readouterr()
    assert code == 0
    assert json.loads(out)["output"] == "wrote 4 bytes to `note.md` (new file)"
    assert (workspace / "note.md").read_text() == "# hi"


def test_policy_refusal_keeps_exit_code_2(
    capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "TOOLS.yaml"
    policy.write_text('schema_version: "1.0"\ndenied: [echo]\n')

    code = main(
        ["sandbox", "exec", "--tool", "echo", "--args", '{"text": "x"}', "--policy", str(policy)]
    )

    out, err = capfd.readouterr()
    assert (code, out) == (2, "")
    assert err == f"error: tool `echo` is denied by {policy}\n"


def test_bad_json_is_one_line_and_exit_2(capfd: pytest.CaptureFixture[str]) -> None:
    code = main(["sandbox", "exec", "--tool", "echo", "--args", "{oops"])

    _, err = capfd.readouterr()
    assert code == 2
    assert err.startswith("error: --args is not valid JSON")
    assert err.count("\n") == 1


def test_missing_sandbox_runner_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "vasini_sandbox_runner" else real(name, *a),
    )

    code = main(["sandbox", "exec", "--tool", "echo", "--args", "{}"])

    assert code == 1
    assert "the sandbox-runner is not installed" in capsys.readouterr().err


def test_exec_requires_tool_and_args() -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "exec", "--args", "{}"])

    assert exited.value.code == 2  # argparse's usage error, before any process starts
