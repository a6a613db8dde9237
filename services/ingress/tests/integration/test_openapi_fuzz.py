"""The served OpenAPI document, fuzzed with schemathesis (every phase, including
stateful sequences that create and then read, cancel runs): no request gets a 5xx."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from .conftest import RunningIngress

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


async def test_no_request_the_schema_allows_causes_a_server_error(
    ingress: Callable[..., AbstractAsyncContextManager[RunningIngress]], tmp_path: Path
) -> None:
    async with ingress(rate_limit_per_s=100_000) as api:
        key = await api.new_tenant()
        schema = await api.client.get("/openapi.json")
        assert schema.status_code == 200
        assert "/v1/runs" in schema.json()["paths"]

        fuzz = await asyncio.create_subprocess_exec(
            str(SCHEMATHESIS),
            "run",
            f"{str(api.client.base_url).rstrip('/')}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--header",
            f"Authorization: Bearer {key}",
            "--max-examples",
            "25",
            "--seed",
            "20261125",
            "--request-timeout",
            "10",
            # The SSE stream of a live run only ends with the run; it has its own tests.
            "--exclude-path-regex",
            "/events$",
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await fuzz.communicate()

    assert fuzz.returncode == 0, output.decode()[-4000:]
