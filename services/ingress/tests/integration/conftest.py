"""Ingress running for real (API + consumer) on unique names, and an HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from vasini_chassis.runtime import ServiceRuntime
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
    unique_name: str, postgres_admin_url: str, postgres_app_url: str, redis_url: str
) -> Callable[..., AbstractAsyncContextManager[RunningIngress]]:
    @asynccontextmanager
    async def run(**overrides: Any) -> AsyncIterator[RunningIngress]:
        values: dict[str, Any] = {
            "database_url": postgres_app_url,
            "database_admin_url": postgres_admin_url,
            "redis_url": redis_url,
            "stream_prefix": f"{unique_name}.",
            "db_schema": unique_name,
            "http_port": 0,
            "admin_key": ADMIN_KEY,
            "read_block_ms": 100,
            "relay_poll_s": 0.2,
            "sse_poll_s": 0.05,
            "shutdown_grace_s": 5.0,
        }
        values.update(overrides)
        runtime = build_runtime(IngressSettings(**values))
        await runtime.start()
        base = f"http://127.0.0.1:{runtime.health_port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                yield RunningIngress(runtime, client, f"{unique_name}.")
        finally:
            await runtime.stop()

    return run


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()
