"""Which tool runs an authorized call: pack-declared HTTP tools and `http_fetch` go
out through the egress guard (only to the hosts the pack's `sandbox.egress_allowlist`
names, never to private addresses); every other built-in runs in the sandbox or on
the confined workspace."""

from __future__ import annotations

from pathlib import Path

from vasini_contracts.events.tools import ToolCallAuthorized
from vasini_packs.builtin_tools import argument_errors
from vasini_sandbox_runner.domain.egress import Egress
from vasini_sandbox_runner.domain.http_tools import (
    HTTP_FETCH_SCHEMA,
    HttpToolResult,
    call_http_tool,
    http_fetch,
)
from vasini_sandbox_runner.domain.sandbox import Limits
from vasini_sandbox_runner.domain.tools import (
    BuiltinTools,
    ToolArgumentsInvalid,
    ToolError,
    ToolResult,
)


class Toolbox:
    def __init__(self, builtins: BuiltinTools, egress: Egress) -> None:
        self._builtins = builtins
        self._egress = egress

    async def call(
        self, request: ToolCallAuthorized, workspace: Path, limits: Limits
    ) -> ToolResult:
        sandbox = request.tool.get("sandbox") or {}
        allowlist = [str(host) for host in sandbox.get("egress_allowlist") or ()]
        if request.kind == "http":
            endpoint = request.tool.get("endpoint")
            if not isinstance(endpoint, str):
                raise ToolError(f"the HTTP tool `{request.tool_id}` declares no endpoint")
            answer = await call_http_tool(
                self._egress,
                endpoint,
                request.arguments,
                allowlist=allowlist,
                timeout_s=limits.timeout_s,
                max_bytes=limits.max_output_bytes,
            )
            return _result(answer)
        if request.tool_id == "http_fetch":
            problem = argument_errors("http_fetch", HTTP_FETCH_SCHEMA, request.arguments)
            if problem is not None:
                raise ToolArgumentsInvalid(problem)
            answer = await http_fetch(
                self._egress,
                request.arguments,
                allowlist=allowlist,
                timeout_s=limits.timeout_s,
                max_bytes=limits.max_output_bytes,
            )
            return _result(answer)
        return await self._builtins.call(request.tool_id, request.arguments, workspace, limits)


def _result(answer: HttpToolResult) -> ToolResult:
    return ToolResult(
        output=answer.output, is_error=answer.is_error, exit_code=None, truncated=answer.truncated
    )
