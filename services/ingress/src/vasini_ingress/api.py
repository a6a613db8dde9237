"""The public HTTP API (FastAPI). Thin: authenticate, validate, call the use case,
shape the answer. Every error is RFC 9457 problem+json with a stable `code` and the
request's `trace_id`."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vasini_chassis.logging import get_logger
from vasini_contracts import new_traceparent
from vasini_ingress.adapters.repository import RunEventRow
from vasini_ingress.domain.approvals import (
    ApprovalDecision,
    ApprovalList,
    ApprovalState,
    ApprovalView,
)
from vasini_ingress.domain.errors import BadRequest, IngressError, PayloadTooLarge
from vasini_ingress.domain.runs import (
    CancelAccepted,
    RunAccepted,
    RunCreate,
    RunView,
    TenantCreate,
    TenantCreated,
)
from vasini_ingress.live import LiveRuns, Watch
from vasini_ingress.service import Caller, IngressService

log = get_logger(__name__)
PROBLEM_JSON = "application/problem+json"
FINAL_EVENT_KINDS = frozenset({"completed", "failed", "cancelled"})
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")
_HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE"}


class Problem(BaseModel):
    """RFC 9457 problem details, plus `code` (stable) and `trace_id`."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    trace_id: str
    errors: list[dict[str, Any]] | None = None


class CancelRequest(BaseModel):
    reason: str | None = Field(default=None, max_length=1_000)


PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}}
    for status in (400, 401, 403, 404, 409, 413, 422, 429)
}


async def current_caller(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Caller:
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    service: IngressService = request.app.state.service
    return await service.authenticate(token)


# Module level: FastAPI resolves these postponed annotations in the module's globals.
Authenticated = Annotated[Caller, Depends(current_caller)]
RunId = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="The run's id.")]
ApprovalId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9._-]{1,128}$", description="The approval's id.")
]


def create_api(
    service: IngressService,
    live: LiveRuns,
    *,
    poll_s: float = 1.0,
    heartbeat_s: float = 15.0,
) -> FastAPI:
    """The HTTP API. Live streams wait on `live` for their run's new events and look
    every `poll_s` anyway (in case a notification was lost)."""
    app = FastAPI(
        title="Vasini API",
        version="1.0.0",
        description="Run profession-pack agents: post a task, follow it live, read the answer.",
        responses=PROBLEMS,
    )

    app.state.service = service

    @app.post("/v1/tenants", status_code=201, response_model=TenantCreated, tags=["admin"])
    async def create_tenant(body: TenantCreate, who: Authenticated) -> TenantCreated:
        """Create a tenant and its first API key (admin key only). The key is shown once."""
        return await service.create_tenant(who, body.name)

    @app.post("/v1/runs", status_code=202, response_model=RunAccepted, tags=["runs"])
    async def create_run(
        request: Request,
        body: RunCreate,
        who: Authenticated,
        idempotency_key: Annotated[
            str | None, Header(alias="Idempotency-Key", max_length=200)
        ] = None,
    ) -> JSONResponse:
        """Start a run. Retrying with the same Idempotency-Key and body returns the same
        run; the same key with another body is a 409."""
        if not idempotency_key:
            raise BadRequest("send an Idempotency-Key header (any unique string per run)")
        accepted, created = await service.create_run(
            who, body, idempotency_key, request.state.child_traceparent
        )
        return JSONResponse(
            accepted.model_dump(mode="json"),
            status_code=202,
            headers={
                "Location": accepted.links.self,
                "Idempotent-Replayed": "false" if created else "true",
            },
        )

    @app.get("/v1/runs/{run_id}", response_model=RunView, tags=["runs"])
    async def get_run(run_id: RunId, who: Authenticated) -> RunView:
        """The run's state, answer, usage, steps and error."""
        return await service.get_run(who, run_id)

    @app.post(
        "/v1/runs/{run_id}/cancel", status_code=202, response_model=CancelAccepted, tags=["runs"]
    )
    async def cancel_run(
        run_id: RunId, who: Authenticated, body: Annotated[CancelRequest | None, Body()] = None
    ) -> CancelAccepted:
        """Ask a running run to stop; it ends in `cancelled` (or finishes first)."""
        await service.cancel_run(who, run_id, body.reason if body else None)
        return CancelAccepted(run_id=run_id)

    @app.get(
        "/v1/runs/{run_id}/events",
        tags=["runs"],
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}},
    )
    async def run_events(
        run_id: RunId,
        request: Request,
        who: Authenticated,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
    ) -> StreamingResponse:
        """Server-Sent Events: `state`, `composed`, `approval` (a tool call waits for a
        person, or was decided), `delta` (answer text as it is produced), then one of
        `completed`, `failed`, `cancelled`. Reconnect with
        Last-Event-ID to resume."""
        await service.ensure_visible(who, run_id)
        after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0

        async def stream() -> AsyncIterator[str]:
            clock = asyncio.get_running_loop().time
            position, last_sent = after, clock()
            last_n: int | None = None  # the run's number of the last event sent, once known
            rows: list[RunEventRow] | None = None  # None: look in the table
            with live.watch(run_id) as watch:
                while not await request.is_disconnected():
                    if rows is None:
                        rows = await service.events_after(who, run_id, position)
                    for row in rows:
                        position, last_n = row.seq, row.n
                        yield (
                            f"id: {row.seq}\nevent: {row.kind}\ndata: {json.dumps(row.data)}\n\n"
                        )
                        if row.kind in FINAL_EVENT_KINDS:
                            return
                    if rows:
                        last_sent = clock()
                    # Quiet: wait for a notification, the fallback poll or the heartbeat.
                    quiet_for = max(0.0, min(poll_s, heartbeat_s - (clock() - last_sent)))
                    if rows or await _woken(watch, quiet_for):
                        watch.woken.clear()  # before looking: a commit meanwhile wakes us
                        rows = watch.follow(last_n)
                    else:
                        rows = None  # no notification: look in the table
                    if clock() - last_sent >= heartbeat_s:
                        last_sent = clock()
                        yield ": keep-alive\n\n"

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.get("/v1/approvals", response_model=ApprovalList, tags=["approvals"])
    async def list_approvals(
        who: Authenticated,
        state: Annotated[ApprovalState, Query(description="Which approvals to list.")] = "pending",
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> ApprovalList:
        """The tenant's approvals in one state (oldest first): tool calls that wait for a
        person, or were decided."""
        return ApprovalList(approvals=await service.approvals(who, state, limit))

    @app.get("/v1/approvals/{approval_id}", response_model=ApprovalView, tags=["approvals"])
    async def get_approval(approval_id: ApprovalId, who: Authenticated) -> ApprovalView:
        """One approval: the tool call, why it needs a person, its state."""
        return await service.approval(who, approval_id)

    @app.post("/v1/approvals/{approval_id}", response_model=ApprovalView, tags=["approvals"])
    async def decide_approval(
        approval_id: ApprovalId, body: ApprovalDecision, who: Authenticated
    ) -> ApprovalView:
        """Approve or reject a pending tool call. A decided or expired approval cannot
        change (409 APPROVAL_CLOSED)."""
        return await service.decide_approval(who, approval_id, body)

    _install_error_handlers(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(IngressError)
    async def ingress_error(request: Request, exc: IngressError) -> JSONResponse:
        return problem(request, exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(part) for part in error["loc"]], "msg": str(error["msg"])}
            for error in exc.errors()
        ]
        return problem(request, 422, "INVALID_REQUEST", "the request is not valid", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
        return problem(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        return problem(request, 500, "INTERNAL", "an internal error occurred; it was logged")


def problem(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body = Problem(
        type=f"https://vasini.dev/problems/{code.lower().replace('_', '-')}",
        title=code.replace("_", " ").capitalize(),
        status=status,
        detail=detail,
        code=code,
        trace_id=getattr(request.state, "trace_id", ""),
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


class RequestContext:
    """Pure ASGI middleware: request id and W3C trace context in and out, and the body
    size limit (a declared Content-Length is checked up front; a chunked body is read
    up to the cap before the app sees it)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get("x-request-id") or uuid.uuid4().hex
        match = _TRACEPARENT.match(headers.get("traceparent", ""))
        trace_id = match.group(1) if match else new_traceparent().split("-")[1]
        child = f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"
        state = scope.setdefault("state", {})
        state.update(trace_id=trace_id, child_traceparent=child, request_id=request_id)

        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        if not declared.isdigit() and scope["method"] in {"POST", "PUT", "PATCH"}:
            # No declared length (chunked): read up to the cap first, then replay it,
            # so an oversized upload is a 413 before any handler parses a byte.
            body = await self._read_capped(receive)
            if body is None:
                await self._too_large(scope, receive, send)
                return
            receive = _replay(body, receive)

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode("latin-1")),
                    (b"traceparent", child.encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_ids)

    async def _read_capped(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it exceeds the cap."""
        chunks, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            Request(scope, receive),
            413,
            PayloadTooLarge.code,
            f"the body exceeds {self.max_body_bytes} bytes",
        )
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body over once, then defers to the
    server's (which reports the disconnect)."""
    sent = False

    async def replaying() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replaying


async def _woken(watch: Watch, timeout_s: float) -> bool:
    """Wait for a notification of the watched run; False after `timeout_s` without."""
    try:
        await asyncio.wait_for(watch.woken.wait(), timeout=timeout_s)
    except TimeoutError:
        return False
    return True
