"""A small client of the Vasini HTTP API for the CLI (`vasini run`, `vasini tenant`).

Where to connect comes from `--api-url`/`--api-key`, else `VASINI_API_URL` /
`VASINI_API_KEY`, else the env file `vasini up` writes (`.vasini/env`).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

DEFAULT_ENV_FILE = Path(".vasini") / "env"


class ApiError(Exception):
    """The API answered with a problem (or could not be reached); `str()` says which."""


@dataclass(frozen=True)
class SseEvent:
    id: str | None
    kind: str
    data: dict[str, Any]


def read_env_file(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return dict(re.findall(r"^export (\w+)='([^']*)'$", text, re.MULTILINE))


def resolve(setting: str, given: str | None, env_file: Path) -> str | None:
    return given or os.environ.get(setting) or read_env_file(env_file).get(setting)


class ApiClient:
    def __init__(self, base_url: str, api_key: str, timeout_s: float = 30.0) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=httpx.Timeout(timeout_s, read=None),
        )

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._http.aclose()

    async def create_tenant(self, name: str) -> dict[str, Any]:
        return await self._json("POST", "/v1/tenants", json={"name": name})

    async def create_run(self, pack: str, text: str) -> dict[str, Any]:
        return await self._json(
            "POST",
            "/v1/runs",
            json={"pack": pack, "input": text},
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )

    async def get_run(self, run_id: str) -> dict[str, Any]:
        return await self._json("GET", f"/v1/runs/{run_id}")

    async def approvals(self, state: str) -> dict[str, Any]:
        return await self._json("GET", "/v1/approvals", params={"state": state})

    async def decide_approval(
        self, approval_id: str, decision: str, comment: str | None
    ) -> dict[str, Any]:
        body = {"decision": decision, "comment": comment}
        return await self._json("POST", f"/v1/approvals/{approval_id}", json=body)

    async def events(self, run_id: str) -> AsyncIterator[SseEvent]:
        """The run's events until its final one (SSE, parsed)."""
        try:
            async with self._http.stream("GET", f"/v1/runs/{run_id}/events") as response:
                if response.status_code != 200:
                    await response.aread()
                    raise ApiError(_problem_text(response))
                frame: dict[str, str] = {}
                async for line in response.aiter_lines():
                    if line:
                        field, _, value = line.partition(": ")
                        frame[field] = value
                        continue
                    if "event" in frame:
                        yield SseEvent(frame.get("id"), frame["event"], json.loads(frame["data"]))
                    frame = {}
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot reach the API: {exc}") from exc

    async def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot reach the API at {self._http.base_url}: {exc}") from exc
        if response.status_code >= 400:
            raise ApiError(_problem_text(response))
        body: dict[str, Any] = response.json()
        return body


def _problem_text(response: httpx.Response) -> str:
    try:
        problem = response.json()
        return f"{problem.get('code', response.status_code)}: {problem.get('detail', '')}"
    except ValueError:
        return f"HTTP {response.status_code}"
