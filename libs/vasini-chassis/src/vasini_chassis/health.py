"""Liveness and readiness over HTTP (`/healthz`, `/readyz`) for orchestrators.

Liveness answers as long as the event loop does. Readiness runs the registered checks
(database, Redis, consumer and relay running) and answers 503 naming the failing ones.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator, Mapping

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Check = Callable[[], Awaitable[bool]]
_CHECK_TIMEOUT_S = 2.0


async def _run_check(check: Check) -> bool:
    try:
        return await asyncio.wait_for(check(), timeout=_CHECK_TIMEOUT_S)
    except Exception:
        return False


def health_routes(service: str, checks: Mapping[str, Check]) -> list[Route]:
    """`/healthz` and `/readyz`, to serve alone or next to a service's own API."""

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "service": service})

    async def readyz(_: Request) -> JSONResponse:
        names = list(checks)
        results = await asyncio.gather(*(_run_check(checks[n]) for n in names))
        outcome = dict(zip(names, results, strict=True))
        ready = all(results)
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", "service": service, "checks": outcome},
            status_code=200 if ready else 503,
        )

    return [Route("/healthz", healthz), Route("/readyz", readyz)]


def health_app(service: str, checks: Mapping[str, Check]) -> Starlette:
    return Starlette(routes=health_routes(service, checks))


class HealthServer(uvicorn.Server):
    """uvicorn without its own signal handling: the service runtime owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def health_server(app: Starlette, host: str, port: int) -> HealthServer:
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    return HealthServer(config)
