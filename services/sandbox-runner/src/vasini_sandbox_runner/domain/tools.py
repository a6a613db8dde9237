"""Built-in tools: each with the JSON Schema of its arguments (what packs may omit in
TOOLS, since the tool supplies it), validated before anything runs.

Invalid arguments are a `ToolArgumentsInvalid` whose message goes back to the model
as a tool error; they never reach a process. A file or git path that would leave the
workspace is an error result (`is_error`), also for the model.

- `file_manager` works host-side through `WorkspaceFiles` (no process): `search` finds
  a literal text in file contents (not a regex: a model-written regex could backtrack
  for minutes inside the runner); `list` walks the folder recursively.
- `git` runs `/usr/bin/git` in the sandbox with a fixed argv per op: no flags from the
  model, paths only after `--` as literal pathspecs, our author identity, no system or
  global config, and hooks disabled (`core.hooksPath=/dev/null`, `--no-verify`).
- After every sandboxed run the workspace is measured; going over the quota makes the
  result an error that says so (a process is only held back by RLIMIT_FSIZE per file).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from vasini_packs.builtin_tools import BUILTIN_TOOL_SCHEMAS, MAX_WRITE_BYTES, argument_errors
from vasini_sandbox_runner.domain.sandbox import Execution, Limits, Outcome, SandboxError
from vasini_sandbox_runner.domain.workspace import (
    FileAnswer,
    Parts,
    Quota,
    WorkspaceFiles,
    WorkspaceRefused,
    shown,
    workspace_path,
)

MAX_READ_BYTES = 256 * 1024  # of one `read` (also capped by Limits.max_output_bytes)
MAX_LIST_ENTRIES = 500
MAX_SEARCH_MATCHES = 200
GIT_AUTHOR = ("Vasini agent", "agent@vasini.invalid")

SANDBOX_TOOLS = ("echo", "code_executor", "file_manager", "git")
SCHEMAS: Mapping[str, dict[str, Any]] = {name: BUILTIN_TOOL_SCHEMAS[name] for name in SANDBOX_TOOLS}
# Arguments that only make sense with some ops: refused elsewhere, so nothing is ignored.
_ONLY_WITH = {
    "file_manager": {"content": {"write"}, "pattern": {"search"}},
    "git": {
        "paths": {"status", "diff", "log", "add", "commit"},
        "message": {"commit"},
        "staged": {"diff"},
        "max_count": {"log"},
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
    """The built-in tools: processes run in `sandbox`, files are reached through `files`."""

    def __init__(self, sandbox: Sandbox, files: WorkspaceFiles) -> None:
        self._sandbox = sandbox
        self._files = files

    def validate(self, tool_id: str, arguments: Mapping[str, Any]) -> None:
        schema = SCHEMAS.get(tool_id)
        if schema is None:
            raise UnknownTool(f"no built-in tool `{tool_id}`; built-ins: {', '.join(SCHEMAS)}")
        problem = argument_errors(tool_id, schema, dict(arguments))
        if problem is not None:
            raise ToolArgumentsInvalid(problem)
        op = arguments.get("op")
        for name, ops in _ONLY_WITH.get(tool_id, {}).items():
            if name in arguments and op not in ops:
                raise ToolArgumentsInvalid(
                    f"invalid arguments for `{tool_id}`: `{name}` is only for op "
                    + " / ".join(sorted(ops))
                )

    async def call(
        self, tool_id: str, arguments: Mapping[str, Any], workspace: Path, limits: Limits
    ) -> ToolResult:
        self.validate(tool_id, arguments)
        if tool_id == "echo":
            return ToolResult(output=str(arguments["text"]))
        try:
            if tool_id == "file_manager":
                answer = await asyncio.to_thread(self._file_manager, arguments, workspace, limits)
                return ToolResult(output=answer.text, truncated=answer.truncated)
            if tool_id == "git":
                argv, stdin = _git_command(arguments)
                execution = Execution(argv=argv, workspace=workspace, limits=limits, stdin=stdin)
            else:
                requested = arguments.get("timeout")
                if requested is not None and requested < limits.timeout_s:
                    limits = replace(limits, timeout_s=float(requested))
                execution = Execution(
                    argv=_INTERPRETERS[arguments["language"]],
                    workspace=workspace,
                    limits=limits,
                    stdin=str(arguments["code"]).encode(),
                )
        except WorkspaceRefused as exc:
            return ToolResult(output=str(exc), is_error=True, exit_code=1)
        result = _result(await self._sandbox.run(execution), limits)
        return await self._within_quota(result, workspace, limits)

    def _file_manager(
        self, arguments: Mapping[str, Any], workspace: Path, limits: Limits
    ) -> FileAnswer:
        parts = workspace_path(str(arguments["path"]))
        match arguments["op"]:
            case "read":
                cap = min(MAX_READ_BYTES, limits.max_output_bytes)
                return self._files.read(workspace, parts, cap)
            case "write":
                data = str(arguments["content"]).encode()
                cap = min(MAX_WRITE_BYTES, limits.max_file_bytes)
                if len(data) > cap:
                    raise WorkspaceRefused(
                        f"refused: {len(data)} bytes is over the {cap}-byte limit of one write"
                    )
                return self._files.write(workspace, parts, data, _quota(limits))
            case "list":
                return self._files.listing(workspace, parts, MAX_LIST_ENTRIES)
            case "search":
                pattern = str(arguments["pattern"])
                return self._files.search(workspace, parts, pattern, MAX_SEARCH_MATCHES)
            case _:
                return self._files.delete(workspace, parts)

    async def _within_quota(
        self, result: ToolResult, workspace: Path, limits: Limits
    ) -> ToolResult:
        usage = await asyncio.to_thread(self._files.usage, workspace)
        excess = _quota(limits).excess(usage)
        if excess is None:
            return result
        note = f"[workspace over its quota: {excess}; writes are refused until files are deleted]"
        return replace(result, output=f"{result.output}\n{note}".lstrip("\n"), is_error=True)


def _quota(limits: Limits) -> Quota:
    return Quota(max_bytes=limits.workspace_max_bytes, max_entries=limits.workspace_max_files)


# git runs with an empty environment (bwrap's), so its settings come through env(1).
_GIT = (
    "/usr/bin/env",
    "GIT_CONFIG_NOSYSTEM=1",
    "GIT_CONFIG_GLOBAL=/dev/null",
    "GIT_TERMINAL_PROMPT=0",
    f"GIT_AUTHOR_NAME={GIT_AUTHOR[0]}",
    f"GIT_AUTHOR_EMAIL={GIT_AUTHOR[1]}",
    f"GIT_COMMITTER_NAME={GIT_AUTHOR[0]}",
    f"GIT_COMMITTER_EMAIL={GIT_AUTHOR[1]}",
    "/usr/bin/git",
    "--no-pager",
    "--literal-pathspecs",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "commit.gpgSign=false",
    "-c",
    "color.ui=false",
    "-c",
    "safe.directory=/workspace",
    "-c",
    f"user.name={GIT_AUTHOR[0]}",
    "-c",
    f"user.email={GIT_AUTHOR[1]}",
)


def _git_command(arguments: Mapping[str, Any]) -> tuple[tuple[str, ...], bytes]:
    """The argv and stdin of a git op; WorkspaceRefused for a path that may not be used."""
    paths = tuple(_git_path(str(p)) for p in arguments.get("paths", ()))
    match arguments["op"]:
        case "init":
            return (*_GIT, "init", "--initial-branch=main"), b""
        case "status":
            return (
                *_GIT,
                "status",
                "--short",
                "--branch",
                "--untracked-files=all",
                "--",
                *paths,
            ), b""
        case "diff":
            staged = ("--cached",) if arguments.get("staged") else ()
            return (*_GIT, "diff", "--no-ext-diff", "--no-textconv", *staged, "--", *paths), b""
        case "log":
            count = f"--max-count={arguments.get('max_count', 20)}"
            return (
                *_GIT,
                "log",
                count,
                "--date=iso",
                "--format=%h %ad %an%n    %s",
                "--",
                *paths,
            ), b""
        case "add":
            return (*_GIT, "add", "--all", "--", *(paths or (".",))), b""
        case _:
            message = str(arguments["message"]).encode()
            return (*_GIT, "commit", "--no-verify", "--file=-", "--", *paths), message


def _git_path(path: str) -> str:
    parts: Parts = workspace_path(path)
    if parts and parts[0].startswith("-"):
        raise WorkspaceRefused(f"`{path}`: paths may not start with `-`")
    return shown(parts)


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
