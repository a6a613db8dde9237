"""What the end-to-end tests share: the stack (every service its own process, on real
PostgreSQL + Valkey) and a client that drives it over HTTP like a user would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx

from vasini_chassis.testing.waiting import eventually
from vasini_cli.stack import (
    SERVICES,
    ServiceStack,
    StackSettings,
    admin_key,
    free_port,
    tiers_json,
)

PACKS = Path(__file__).resolve().parents[1] / "packs"
TEST_PACKS = Path(__file__).resolve().parent / "packs"
TERMINAL = {"done", "failed", "cancelled"}


def copy_packs(target: Path) -> Path:
    """The shipped packs plus the test packs, so a test may add or break one."""
    shutil.copytree(PACKS, target)
    for pack in TEST_PACKS.iterdir():
        shutil.copytree(pack, target / pack.name)
    return target


# Fallback polls far beyond any wait in these tests: events, queued tool calls and live
# streams must move on their NOTIFY (ADR 0007). The runtime's executor keeps its poll:
# run deadlines are timers.
NOTIFY_ONLY_ENV = {
    **{f"VASINI_{service.upper().replace('-', '_')}_RELAY_POLL_S": "60" for service in SERVICES},
    "VASINI_SANDBOX_RUNNER_IDLE_POLL_S": "60",
    "VASINI_INGRESS_SSE_POLL_S": "60",
}


def fake_openai_options(model_url: str, **extra_env: str) -> dict[str, Any]:
    """Stack options that put every tier on a local fake of the OpenAI API (the official
    SDK talks to it), plus `extra_env`."""
    return {
        "llm_tiers_json": tiers_json("openai:fake-model"),
        "extra_env": {
            "VASINI_RUNTIME_WORKER_LLM__OPENAI_BASE_URL": model_url,
            "VASINI_RUNTIME_WORKER_LLM__OPENAI_API_KEY": "sk-fake",
            **extra_env,
        },
    }


def start_stack(
    tmp_path: Path,
    packs_dir: Path,
    unique_name: str,
    urls: tuple[str, str, str],
    **options: Any,
) -> ServiceStack:
    admin_url, app_url, redis_url = urls
    options["extra_env"] = {**NOTIFY_ONLY_ENV, **options.get("extra_env", {})}
    settings = StackSettings(
        database_url=app_url,
        database_admin_url=admin_url,
        redis_url=redis_url,
        data_dir=tmp_path / "stack",
        packs_dir=packs_dir,
        port=free_port(),
        namespace=unique_name,
        **options,
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    stack = ServiceStack(settings)
    try:
        stack.start()
    except Exception:
        stack.stop()
        raise
    return stack


class Client:
    def __init__(self, stack: ServiceStack, key: str) -> None:
        self.http = httpx.AsyncClient(
            base_url=stack.settings.api_url, headers={"Authorization": f"Bearer {key}"}, timeout=30
        )

    async def run(self, pack: str, text: str, idem: str) -> httpx.Response:
        return await self.http.post(
            "/v1/runs", json={"pack": pack, "input": text}, headers={"Idempotency-Key": idem}
        )

    async def finished(self, run_id: str, timeout: float = 60) -> dict[str, Any]:
        response = await eventually(
            lambda: self.http.get(f"/v1/runs/{run_id}"),
            until=lambda r: r.json()["state"] in TERMINAL,
            timeout=timeout,
            what=f"run {run_id} to finish",
        )
        body: dict[str, Any] = response.json()
        return body

    async def events(self, run_id: str) -> list[tuple[str, dict[str, Any]]]:
        async with self.http.stream("GET", f"/v1/runs/{run_id}/events") as response:
            text = "".join([chunk async for chunk in response.aiter_text()])
        frames = [frame.split("\n") for frame in text.split("\n\n") if frame.startswith("id:")]
        return [
            (lines[1].removeprefix("event: "), json.loads(lines[2].removeprefix("data: ")))
            for lines in frames
        ]


async def new_client(stack: ServiceStack, name: str = "acme") -> Client:
    async with httpx.AsyncClient(base_url=stack.settings.api_url) as http:
        response = await http.post(
            "/v1/tenants",
            json={"name": name},
            headers={"Authorization": f"Bearer {admin_key(stack.settings.data_dir)}"},
        )
    assert response.status_code == 201, response.text
    return Client(stack, response.json()["api_key"])
