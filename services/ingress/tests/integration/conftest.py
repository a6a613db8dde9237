"""Ingress running for real (API + consumer) on unique names, and an HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.streams import started
from vasini_ingress.app import IngressSettings, build_runtime

ADMIN_KEY = "admin-test-key-0123456789"


@dataclass
class RunningIngress:
    runtime: ServiceRuntime
    client: httpx.AsyncClient
    prefix: str

    async def new_tenant(self, name: str = "acme") -> str:
        """A fresh tenant's API key."""
        response = await self.client.post(
            "/v1/tenants", json={"name": name}, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
        )
        assert response.status_code == 201, response.text
        return str(response.json()["api_key"])


@pytest.fixture
def ingress(
    service_settings: dict[str, Any],
) -> Callable[..., AbstractAsyncContextManager[RunningIngress]]:
    @asynccontextmanager
    async def run(**overrides: Any) -> AsyncIterator[RunningIngress]:
        # A live stream that only polled would miss every deadline: NOTIFY must wake it.
        values = {**service_settings, "http_port": 0, "admin_key": ADMIN_KEY, "sse_poll_s": 60.0}
        settings = IngressSettings(**{**values, **overrides})
        async with started(build_runtime(settings)) as runtime:
            base = f"http://127.0.0.1:{runtime.health_port}"
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                yield RunningIngress(runtime, client, settings.stream_prefix)

    return run
