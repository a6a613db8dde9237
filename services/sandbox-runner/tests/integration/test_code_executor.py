"""`code_executor` runs Python and bash inside the bubblewrap sandbox."""

from __future__ import annotations

from pathlib import Path

from vasini_sandbox_runner.adapters.bwrap import BwrapSandbox
from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles
from vasini_sandbox_runner.domain.sandbox import Limits
from vasini_sandbox_runner.domain.tools import BuiltinTools


async def test_python_runs_in_the_workspace(tmp_path: Path) -> None:
    tools = BuiltinTools(BwrapSandbox(), ConfinedFiles())
    code = "import os\nopen('result.txt', 'w').write('42')\nprint(os.getcwd(), os.getuid())"

    result = await tools.call(
        "code_executor", {"language": "python", "code": code}, tmp_path, Limits()
    )

    assert not result.is_error, result.output
    assert result.output.strip() == "/workspace 65534"
    assert (tmp_path / "result.txt").read_text() == "42"


async def test_bash_errors_come_back_to_the_model(tmp_path: Path) -> None:
    result = await BuiltinTools(BwrapSandbox(), ConfinedFiles()).call(
        "code_executor",
        {"language": "bash", "code": "echo partial; ls /nonexistent; exit 3"},
        tmp_path,
        Limits(),
    )

    assert result.is_error
    assert result.exit_code == 3
    assert "partial" in result.output
    assert "[stderr]" in result.output


async def test_the_call_timeout_cannot_exceed_the_packs(tmp_path: Path) -> None:
    tools = BuiltinTools(BwrapSandbox(), ConfinedFiles())

    result = await tools.call(
        "code_executor",
        {"language": "python", "code": "import time; time.sleep(30)", "timeout": 600},
        tmp_path,
        Limits(timeout_s=1),
    )

    assert result.timed_out
    assert "[killed: exceeded 1s]" in result.output
