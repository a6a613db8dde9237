"""A scripted fake model server: real HTTP on 127.0.0.1 (a free port), run by uvicorn
in its own thread so it answers whatever the test's event loop is doing — and so a
test in another process (end to end) can use it too.

Each request takes the next scripted response, or `default` when the script is empty;
every request is recorded in `received`, in order.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from vasini_runtime_worker.domain.llm import ToolCall

_START_DEADLINE_S = 10.0


@dataclass(frozen=True)
class Reply:
    """A successful answer: text (streamed in `chunks` pieces) and/or tool calls."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    input_tokens: int = 10
    output_tokens: int = 5
    chunks: int = 3
    max_tokens: bool = False  # stopped by the output limit
    delay_s: float = 0.0  # a slow model: wait this long before answering

    def pieces(self) -> list[str]:
        if not self.text:
            return []
        size = -(-len(self.text) // max(self.chunks, 1))
        return [self.text[i : i + size] for i in range(0, len(self.text), size)]


@dataclass(frozen=True)
class Failure:
    """An HTTP error answer, e.g. 429 with `retry_after="2"`, or 500."""

    status: int
    message: str = "scripted failure"
    retry_after: str | None = None


@dataclass(frozen=True)
class BrokenStream:
    """Starts streaming `text`, then drops the connection before the end."""

    text: str


FakeResponse = Reply | Failure | BrokenStream


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)


class _DropConnection(Exception):
    """Raised inside a streaming body: uvicorn then aborts the half-sent response."""


def sse(event: str | None, data: dict[str, Any] | str) -> str:
    payload = data if isinstance(data, str) else json.dumps(data)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n"


class FakeModelServer(ABC):
    """Subclasses give the route and the wire format; use as a context manager."""

    path: str

    def __init__(self, default: FakeResponse | None = None) -> None:
        self.default: FakeResponse = default or Reply("ok")
        self.received: list[Received] = []
        self._script: deque[FakeResponse] = deque()
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        if self._socket is None:
            raise RuntimeError("the fake server is not started")
        host, port = self._socket.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    @abstractmethod
    def url(self) -> str:
        """What to give the provider's SDK as its base URL."""

    def script(self, responses: Iterable[FakeResponse]) -> None:
        """Queue responses for the next requests, in order."""
        self._script.extend(responses)

    def start(self) -> None:
        # Bound before uvicorn starts, so the port is known and connections queue up.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self._socket = sock
        app = Starlette(routes=[Route(self.path, self._handle, methods=["POST"])])
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_DEADLINE_S
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake model server did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(_START_DEADLINE_S)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def _handle(self, request: Request) -> Response:
        body: dict[str, Any] = await request.json()
        self.received.append(Received(request.url.path, dict(request.headers), body))
        response = self._script.popleft() if self._script else self.default
        if isinstance(response, Failure):
            headers = {"retry-after": response.retry_after} if response.retry_after else None
            return JSONResponse(
                self.error_body(response), status_code=response.status, headers=headers
            )
        if isinstance(response, BrokenStream):
            return StreamingResponse(self._broken(response, body), media_type="text/event-stream")
        if response.delay_s:
            await asyncio.sleep(response.delay_s)
        if not body.get("stream"):
            return JSONResponse(self.message(response, body))
        return StreamingResponse(self._events(response, body), media_type="text/event-stream")

    async def _events(self, reply: Reply, body: dict[str, Any]) -> AsyncIterator[str]:
        for event in self.stream(reply, body):
            yield event

    async def _broken(self, broken: BrokenStream, body: dict[str, Any]) -> AsyncIterator[str]:
        events = self.stream(Reply(broken.text, chunks=1), body)
        for event in events[: self.events_before_text + 1]:
            yield event
        raise _DropConnection

    @property
    @abstractmethod
    def events_before_text(self) -> int:
        """How many stream events come before the first text delta."""

    @abstractmethod
    def stream(self, reply: Reply, body: dict[str, Any]) -> list[str]:
        """The SSE events of a streamed reply."""

    @abstractmethod
    def message(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        """The JSON body of a non-streamed reply."""

    @abstractmethod
    def error_body(self, failure: Failure) -> dict[str, Any]:
        """The JSON body of an error answer."""
