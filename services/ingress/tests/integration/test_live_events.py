"""A run's live event stream, fed by notifications: events numbered in commit order,
sent as they are committed, with oversized ones read from the table."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import asyncpg
import pytest
from redis.asyncio import Redis

from vasini_chassis.db.notifications import table_channel
from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.testing.waiting import eventually
from vasini_contracts.events.common import Usage
from vasini_contracts.events.runs import RunCompleted, RunOutputDelta, RunStateChanged

from .test_runs_api import PACK, Ingress, auth, consumed, post_run, publish, published

# Beyond what one notification can carry (8000 bytes): announced without its content.
OVERSIZED_OUTPUT = "x" * 20_000


def completed(run_id: str, output: str) -> RunCompleted:
    return RunCompleted(
        run_id=run_id,
        pack=PACK,
        output=output,
        usage=Usage(input_tokens=1, output_tokens=1),
        steps=1,
        duration_ms=1,
    )


def frames(text: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for frame in text.split("\n\n"):
        lines = frame.split("\n")
        if lines[0].startswith("id:"):
            out.append(
                (lines[1].removeprefix("event: "), json.loads(lines[2].removeprefix("data: ")))
            )
    return out


async def test_a_live_stream_gets_events_as_they_are_committed_numbered_in_order(
    ingress: Ingress, redis: Redis, service_settings: dict[str, Any], postgres_admin_url: str
) -> None:
    async with ingress() as api:  # SSE fallback poll: 60 s, so only notifications count
        key = await api.new_tenant()
        run_id = (await post_run(api, key, "live1")).json()["run_id"]
        requested = await eventually(
            lambda: published(redis, api.prefix, "ai.vasini.run.requested.v1"),
            what="run.requested on its stream",
        )
        tenant = requested[0].tenantid
        received: list[str] = []

        async def follow() -> None:
            async with api.client.stream(
                "GET", f"/v1/runs/{run_id}/events", headers=auth(key)
            ) as sse:
                async for chunk in sse.aiter_text():
                    received.append(chunk)

        reader = asyncio.create_task(follow())
        await eventually(lambda: "queued" in "".join(received), what="queued")
        await publish(
            redis,
            api.prefix,
            tenant,
            run_id,
            RunStateChanged(run_id=run_id, previous="queued", state="running", step=1),
        )
        await eventually(lambda: "running" in "".join(received), what="running")
        for seq, text in enumerate(("Hel", "lo")):
            await publish(
                redis,
                api.prefix,
                tenant,
                run_id,
                RunOutputDelta(run_id=run_id, seq=seq, step=1, text=text),
            )
        await eventually(
            lambda: consumed(redis, api.prefix, "ai.vasini.run.output.delta.v1"),
            what="ingress to handle the deltas",
        )
        await publish(redis, api.prefix, tenant, run_id, completed(run_id, OVERSIZED_OUTPUT))
        await asyncio.wait_for(reader, timeout=30)

    sent = frames("".join(received))
    assert [kind for kind, _ in sent] == ["state", "state", "delta", "delta", "completed"]
    assert "".join(data["text"] for kind, data in sent if kind == "delta") == "Hello"
    assert sent[-1][1]["output"] == OVERSIZED_OUTPUT

    schema = service_settings["db_schema"]
    conn = await asyncpg.connect(asyncpg_dsn(postgres_admin_url))
    try:
        numbers = await conn.fetch(
            f'SELECT n FROM "{schema}".run_events WHERE run_id = $1 ORDER BY seq', run_id
        )
        count = await conn.fetchval(
            f'SELECT event_count FROM "{schema}".runs WHERE run_id = $1', run_id
        )
    finally:
        await conn.close()
    assert [row["n"] for row in numbers] == [1, 2, 3, 4, 5]
    assert count == 5


@pytest.mark.parametrize(
    ("output", "carries_content"), [("short", True), (OVERSIZED_OUTPUT, False)]
)
async def test_an_event_notification_carries_the_event_when_it_fits(
    ingress: Ingress,
    redis: Redis,
    service_settings: dict[str, Any],
    postgres_admin_url: str,
    output: str,
    carries_content: bool,
) -> None:
    notes: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(asyncpg_dsn(postgres_admin_url))
    channel = table_channel(service_settings["db_schema"], "run_events")
    await listener.add_listener(channel, lambda *args: notes.put_nowait(args[3]))
    try:
        async with ingress() as api:
            key = await api.new_tenant()
            run_id = (await post_run(api, key, f"note-{carries_content}")).json()["run_id"]
            queued = json.loads(await asyncio.wait_for(notes.get(), timeout=30))
            requested = await eventually(
                lambda: published(redis, api.prefix, "ai.vasini.run.requested.v1"),
                what="run.requested on its stream",
            )
            await publish(
                redis, api.prefix, requested[0].tenantid, run_id, completed(run_id, output)
            )
            done = json.loads(await asyncio.wait_for(notes.get(), timeout=30))
    finally:
        await listener.close()

    assert queued == {
        "run_id": run_id,
        "n": 1,
        "seq": queued["seq"],
        "kind": "state",
        "data": {"state": "queued"},
    }
    assert (done["run_id"], done["n"], done["seq"] > queued["seq"]) == (run_id, 2, True)
    assert ("kind" in done, "data" in done) == (carries_content, carries_content)
    if carries_content:
        assert done["data"]["output"] == output


async def test_a_quiet_stream_sends_keep_alives_between_polls(ingress: Ingress) -> None:
    # The fallback poll (60 s) is far off: the heartbeat must not wait for it.
    async with ingress(sse_heartbeat_s=0.2) as api:
        key = await api.new_tenant()
        run_id = (await post_run(api, key, "quiet")).json()["run_id"]
        received = ""

        async def until_two_keep_alives() -> None:
            nonlocal received
            async with api.client.stream(
                "GET", f"/v1/runs/{run_id}/events", headers=auth(key)
            ) as sse:
                async for chunk in sse.aiter_text():
                    received += chunk
                    if received.count(": keep-alive") >= 2:
                        return

        await asyncio.wait_for(until_two_keep_alives(), timeout=30)

    assert received.startswith("id: ")  # the queued state first
    assert "event: state" in received
