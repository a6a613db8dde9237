"""The HTTP tools on top of the `Egress` port: built-in `http_fetch`, and pack tools of
`kind: http` (a POST of the call's arguments to the pack's declared endpoint).

Both return a result for the model and never raise for a refused or failed request:
the refusal message tells the model which rule applied, so it can try something else.
Request headers are never echoed back (they may hold the caller's credentials).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from typing import Any

from vasini_packs.builtin_tools import BUILTIN_TOOL_SCHEMAS
from vasini_sandbox_runner.domain.egress import (
    Egress,
    EgressFailed,
    EgressRefused,
    HttpRequest,
    HttpResponse,
    allowlist_entry,
)

HTTP_FETCH_SCHEMA: Mapping[str, Any] = BUILTIN_TOOL_SCHEMAS["http_fetch"]
_SHOWN_HEADERS = ("content-type", "content-length")


@dataclass(frozen=True, slots=True)
class HttpToolResult:
    output: str  # what the model reads
    is_error: bool
    truncated: bool = False  # the response body was cut at max_bytes
    status: int | None = None  # None when no response came back


async def http_fetch(
    egress: Egress,
    arguments: Mapping[str, Any],
    *,
    allowlist: Sequence[str],
    timeout_s: float,
    max_bytes: int,
) -> HttpToolResult:
    """`arguments` already validated against HTTP_FETCH_SCHEMA."""
    body = arguments.get("body")
    request = HttpRequest(
        method=arguments["method"],
        url=arguments["url"],
        headers=dict(arguments.get("headers", {})),
        body=body.encode() if body is not None else None,
    )
    return await _send(egress, request, allowlist, timeout_s=timeout_s, max_bytes=max_bytes)


async def call_http_tool(
    egress: Egress,
    endpoint: str,
    arguments: Mapping[str, Any],
    *,
    allowlist: Sequence[str],
    timeout_s: float,
    max_bytes: int,
) -> HttpToolResult:
    """POST `arguments` as JSON to a pack tool's `endpoint`. The endpoint's own host is
    allowlisted besides the tool's `egress_allowlist` (the pack declared it); its
    addresses are checked like any other."""
    request = HttpRequest(
        method="POST",
        url=endpoint,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        body=json.dumps(arguments, ensure_ascii=False).encode(),
    )
    return await _send(
        egress,
        request,
        [*allowlist, allowlist_entry(endpoint)],
        timeout_s=timeout_s,
        max_bytes=max_bytes,
    )


async def _send(
    egress: Egress,
    request: HttpRequest,
    allowlist: Sequence[str],
    *,
    timeout_s: float,
    max_bytes: int,
) -> HttpToolResult:
    try:
        response = await egress.send(
            request, allowlist=allowlist, timeout_s=timeout_s, max_bytes=max_bytes
        )
    except EgressRefused as exc:
        return HttpToolResult(f"request refused: {exc}", is_error=True)
    except EgressFailed as exc:
        return HttpToolResult(f"request failed: {exc}", is_error=True)
    return HttpToolResult(
        _render(request, response, max_bytes),
        is_error=response.status >= 400,
        truncated=response.truncated,
        status=response.status,
    )


def _render(request: HttpRequest, response: HttpResponse, max_bytes: int) -> str:
    lines = [f"HTTP {response.status} {_phrase(response.status)}".rstrip()]
    if response.url != request.url:
        lines.append(f"(after redirects: {response.url})")
    lines += [f"{h}: {response.headers[h]}" for h in _SHOWN_HEADERS if h in response.headers]
    text = response.body.decode(_charset(response.headers), errors="replace")
    lines += ["", text]
    if response.truncated:
        lines.append(f"[body truncated: only the first {max_bytes} bytes are shown]")
    return "\n".join(lines)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a code outside the registry, e.g. 599
        return ""


def _charset(headers: Mapping[str, str]) -> str:
    """The declared charset if Python knows it, else UTF-8 (the web's default now)."""
    message = Message()
    message["content-type"] = headers.get("content-type", "")
    declared = message.get_param("charset")
    if isinstance(declared, str):
        try:
            return codecs.lookup(declared).name
        except LookupError:
            pass
    return "utf-8"
