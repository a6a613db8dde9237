"""Built-in tools: each with the JSON Schema of its arguments (what packs may omit in
TOOLS, since the tool supplies it), validated before anything runs.

Invalid arguments are a `ToolArgumentsInvalid` whose message goes back to the model
as a tool error; they never reach a process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from jsonschema import Draft202012Validator

from vasini_sandbox_runner.domain.sandbox import Execution, Limits, Outcome, SandboxError

SCHEMAS: Mapping[str, dict[str, Any]] = {
    "echo": {
        "type": "object",
        "properties": {"text": {"type": "string", "maxLength": 100_000}},
        "required": ["text"],
        "additionalProperties": False,
    },
    "code_executor": {
        "type": "object",
        "properties": {
            "language": {"enum": ["python", "bash"]},
            "code": {"type": "string", "minLength": 1, "maxLength": 200_000},
            "timeout": {"type": "integer", "minimum": 1, "maximum": 3600},
        },
        "required": ["language", "code"],
        "additionalProperties": False,
    },
}
_INTERPRETERS = {
    "python": ("/usr/bin/python3", "-I", "-"),
    "bash": ("/usr/bin/bash", "-s"),
}


class ToolError(SandboxError):
    """A tool call that cannot run; the message is for the model (permanent)."""


class ToolArgumentsInvalid(ToolError):
    pass


class UnknownTool(ToolError):
    pass


class Sandbox(Protocol):
    async def run(self, execution: Execution) -> Outcome: ...


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What the model gets back: the output text and how the call ended."""

    output: str
    is_error: bool = False
    exit_code: int | None = 0
    timed_out: bool = False
    truncated: bool = False


class BuiltinTools:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._validators = {name: Draft202012Validator(s) for name, s in SCHEMAS.items()}

    def validate(self, tool_id: str, arguments: Mapping[str, Any]) -> None:
        validator = self._validators.get(tool_id)
        if validator is None:
            raise UnknownTool(f"no built-in tool `{tool_id}`; built-ins: {', '.join(SCHEMAS)}")
        errors = sorted(validator.iter_errors(dict(arguments)), key=lambda e: list(e.path))
        if errors:
            details = "; ".join(
                f"{'/'.join(map(str, e.path)) or 'arguments'}: {e.message}" for e in errors
            )
            raise ToolArgumentsInvalid(f"invalid arguments for `{tool_id}`: {details}")

    async def call(
        self, tool_id: str, arguments: Mapping[str, Any], workspace: Path, limits: Limits
    ) -> ToolResult:
        self.validate(tool_id, arguments)
        if tool_id == "echo":
            return ToolResult(output=str(arguments["text"]))
        requested = arguments.get("timeout")
        if requested is not None and requested < limits.timeout_s:
            limits = replace(limits, timeout_s=float(requested))
        outcome = await self._sandbox.run(
            Execution(
                argv=_INTERPRETERS[arguments["language"]],
                workspace=workspace,
                limits=limits,
                stdin=str(arguments["code"]).encode(),
            )
        )
        return _result(outcome, limits)


def _result(outcome: Outcome, limits: Limits) -> ToolResult:
    text = outcome.stdout.decode(errors="replace")
    if outcome.stderr:
        text += ("\n" if text else "") + "[stderr]\n" + outcome.stderr.decode(errors="replace")
    if outcome.timed_out:
        text += f"\n[killed: exceeded {limits.timeout_s:g}s]"
    if outcome.output_truncated:
        text += f"\n[output cut at {limits.max_output_bytes} bytes]"
    return ToolResult(
        output=text,
        is_error=outcome.exit_code != 0,
        exit_code=outcome.exit_code,
        timed_out=outcome.timed_out,
        truncated=outcome.output_truncated,
    )
