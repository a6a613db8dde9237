"""Built-in tool arguments are checked against their schemas before anything runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from vasini_sandbox_runner.adapters.confined_fs import ConfinedFiles
from vasini_sandbox_runner.domain.sandbox import Execution, Limits, Outcome
from vasini_sandbox_runner.domain.tools import (
    SCHEMAS,
    BuiltinTools,
    ToolArgumentsInvalid,
    UnknownTool,
)


class NoSandbox:
    """Any call reaching this is a failure: validation must stop bad calls first."""

    async def run(self, execution: Execution) -> Outcome:
        raise AssertionError(f"ran {execution.argv} despite invalid arguments")


@pytest.mark.parametrize("schema", list(SCHEMAS.values()))
def test_schemas_are_valid_json_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("tool", "arguments", "fragment"),
    [
        ("echo", {}, "'text' is a required property"),
        ("echo", {"text": 5}, "text"),
        ("code_executor", {"language": "ruby", "code": "puts 1"}, "language"),
        ("code_executor", {"language": "python", "code": ""}, "code"),
        ("code_executor", {"language": "python", "code": "1", "timeout": 0}, "timeout"),
        ("code_executor", {"language": "python", "code": "1", "shell": True}, "shell"),
    ],
)
async def test_invalid_arguments_never_run(
    tool: str, arguments: dict[str, Any], fragment: str, tmp_path: Path
) -> None:
    tools = BuiltinTools(NoSandbox(), ConfinedFiles())

    with pytest.raises(ToolArgumentsInvalid, match=fragment):
        await tools.call(tool, arguments, tmp_path, Limits())


async def test_unknown_tool_names_the_builtins(tmp_path: Path) -> None:
    with pytest.raises(UnknownTool, match="echo, code_executor"):
        await BuiltinTools(NoSandbox(), ConfinedFiles()).call("rm_rf", {}, tmp_path, Limits())


async def test_echo_answers_without_a_process(tmp_path: Path) -> None:
    result = await BuiltinTools(NoSandbox(), ConfinedFiles()).call(
        "echo", {"text": "hi"}, tmp_path, Limits()
    )

    assert (result.output, result.is_error) == ("hi", False)
