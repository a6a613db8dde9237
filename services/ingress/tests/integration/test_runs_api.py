"""The runs API against real PostgreSQL + Valkey: auth, idempotency, tenant isolation,
projection of pipeline events, SSE, cancel, problem+json, limits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import httpx
from redis.asyncio import Redis

from vasini_chassis.testing.streams import stream_events, xadd_event
from vasini_chassis.testing.waiting import eventually
from vasini_contracts import (
    CloudEvent,
    EventData,
    stream_key,
)
from vasini_contracts.events.common import PackRef, Usage
from vasini_contracts.events.runs import (
    RunCompleted,
    RunOutputDelta,
    RunStateChanged,
)

from .conftest import RunningIngress

Ingress = Callable[..., AbstractAsyncContextManager[RunningIngress]]
PACK = PackRef(pack_id="bench-echo", version="1.0.0", digest="sha256:" + "0" * 64)
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def auth(key: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **headers}


async def post_run(
    api: RunningIngress, key: str, idem: str, body: dict[str, Any] | None = None
) -> httpx.Response:
    return await api.client.post(
        "/v1/runs",
        json=body or {"pack": "bench-echo", "input": "hello"},
        headers=auth(key, **{"Idempotency-Key": idem}),
    )


async def published(redis: Redis, prefix: str, event_type: str) -> list[CloudEvent]:
    return await stream_events(redis, event_type, prefix=prefix)


async def publish(redis: Redis, prefix: str, tenant: str, run_id: str, data: EventData) -> None:
    await xadd_event(redis, data, prefix=prefix, tenant_id=tenant, run_id=run_id)


async def consumed(redis: Redis, prefix: str, event_type: str) -> bool:
    """Whether ingress' group has read and acknowledged everything on the stream."""
    groups = await redis.xinfo_groups(stream_key(event_type, prefix))
    return bool(groups) and groups[0]["lag"] == 0 and groups[0]["pending"] == 0


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert len(body["trace_id"]) == 32
    return body


async def test_run_is_accepted_stored_and_published_with_the_callers_trace(
    ingress: Ingress, redis: Redis
) -> None:
    async with ingress() as api:
        key = await api.new_tenant()
        response = await api.client.post(
            "/v1/runs",
            json={"pack": "bench-echo", "input": "hello", "metadata": {"ticket": "T-1"}},
            headers=auth(
                key,
                **{
                    "Idempotency-Key": "k1",
                    "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01",
                    "X-Request-ID": "req-123",
                },
            ),
        )

        assert response.status_code == 202, response.text
        run_id = response.json()["run_id"]
        assert response.headers["location"] == f"/v1/runs/{run_id}"
        assert response.headers["x-request-id"] == "req-123"
        assert TRACE_ID in response.headers["traceparent"]
        view = (await api.client.get(f"/v1/runs/{run_id}", headers=auth(key))).json()
        assert (view["state"], view["input"], view["metadata"]) == (
            "queued",
            "hello",
            {"ticket": "T-1"},
        )

        events = await eventually(
            lambda: published(redis, api.prefix, "ai.vasini.run.requested.v1"),
            until=lambda found: len(found) == 1,
            what="run.requested on its stream",
        )
        (event,) = events
        assert event.correlationid == run_id
        assert event.trace_id == TRACE_ID
        assert event.data["input"] == "hello"


async def test_idempotency_key_returns_the_same_run_or_409(ingress: Ingress, redis: Redis) -> None:
    async with ingress() as api:
        key = await api.new_tenant()
        first = await post_run(api, key, "same")
        again = await post_run(api, key, "same")
        other_body = await post_run(api, key, "same", {"pack": "bench-echo", "input": "other"})

        assert first.json()["run_id"] == again.json()["run_id"]
        assert again.headers["idempotent-replayed"] == "true"
        assert_problem(other_body, 409, "IDEMPOTENCY_KEY_REUSED")
        events = await eventually(
            lambda: published(redis, api.prefix, "ai.vasini.run.requested.v1"),
            until=lambda found: len(found) >= 1,
            what="run.requested",
        )
        assert len(events) == 1


async def test_tenants_cannot_see_each_others_runs(ingress: Ingress) -> None:
    async with ingress() as api:
        alice, bob = await api.new_tenant("alice"), await api.new_tenant("bob")
        run_id = (await post_run(api, alice, "a1")).json()["run_id"]

        assert_problem(
            await api.client.get(f"/v1/runs/{run_id}", headers=auth(bob)), 404, "NOT_FOUND"
        )
        assert_problem(
            await api.client.post(f"/v1/runs/{run_id}/cancel", headers=auth(bob)), 404, "NOT_FOUND"
        )
        assert_problem(
            await api.client.get(f"/v1/runs/{run_id}/events", headers=auth(bob)), 404, "NOT_FOUND"
        )
        # The same idempotency key is per tenant: Bob gets his own run.
        assert (await post_run(api, bob, "a1")).json()["run_id"] != run_id


async def test_pipeline_events_reach_the_run_and_its_event_stream(
    ingress: Ingress, redis: Redis
) -> None:
    async with ingress() as api:
        key = await api.new_tenant()
        run_id = (await post_run(api, key, "p1")).json()["run_id"]
        requested = await eventually(
            lambda: published(redis, api.prefix, "ai.vasini.run.requested.v1"),
            what="run.requested on its stream",
        )
        tenant = requested[0].tenantid
        for data in (
            RunStateChanged(run_id=run_id, previous="queued", state="running", step=1),
            RunOutputDelta(run_id=run_id, seq=0, step=1, text="Hel"),
            RunOutputDelta(run_id=run_id, seq=1, step=1, text="lo"),
        ):
            await publish(redis, api.prefix, tenant, run_id, data)
        # In the pipeline the completion comes from policy, causally after the deltas
        # (runtime -> policy -> relay); model that rather than racing them in one ms.
        await eventually(
            lambda: consumed(redis, api.prefix, "ai.vasini.run.output.delta.v1"),
            what="ingress to handle the deltas",
        )
        await publish(
            redis,
            api.prefix,
            tenant,
            run_id,
            RunCompleted(
                run_id=run_id,
                pack=PACK,
                output="Hello",
                usage=Usage(input_tokens=5, output_tokens=2),
                steps=1,
                duration_ms=12,
            ),
        )

        view = await eventually(
            lambda: api.client.get(f"/v1/runs/{run_id}", headers=auth(key)),
            until=lambda r: r.json()["state"] == "done",
            what="the run to be done",
        )
        body = view.json()
        assert (body["output"], body["steps"], body["usage"]["output_tokens"]) == ("Hello", 1, 2)

        async with api.client.stream("GET", f"/v1/runs/{run_id}/events", headers=auth(key)) as sse:
            assert sse.headers["content-type"].startswith("text/event-stream")
            text = "".join([chunk async for chunk in sse.aiter_text()])
        frames = [f for f in text.split("\n\n") if f.startswith("id:")]
        kinds = [f.split("\n")[1].removeprefix("event: ") for f in frames]
        assert kinds == ["state", "state", "delta", "delta", "completed"]
        deltas = [json.loads(f.split("\n")[2].removeprefix("data: "))["text"] for f in frames[2:4]]
        assert "".join(deltas) == "Hello"

        # Resuming after the second delta replays only what follows it.
        resume_from = frames[3].split("\n")[0].removeprefix("id: ")
        async with api.client.stream(
            "GET", f"/v1/runs/{run_id}/events", headers=auth(key, **{"Last-Event-ID": resume_from})
        ) as sse:
            rest = "".join([chunk async for chunk in sse.aiter_text()])
        assert [line for line in rest.split("\n") if line.startswith("event:")] == [
            "event: completed"
        ]


async def test_cancel_publishes_a_request_and_refuses_finished_runs(
    ingress: Ingress, redis: Redis
) -> None:
    async with ingress() as api:
        key = await api.new_tenant()
        run_id = (await post_run(api, key, "c1")).json()["run_id"]

        response = await api.client.post(
            f"/v1/runs/{run_id}/cancel", json={"reason": "changed my mind"}, headers=auth(key)
        )

        assert response.status_code == 202
        cancels = await eventually(
            lambda: published(redis, api.prefix, "ai.vasini.run.cancel.requested.v1"),
            until=lambda found: len(found) == 1,
            what="run.cancel.requested",
        )
        assert cancels[0].data["reason"] == "changed my mind"
        tenant = cancels[0].tenantid
        await publish(
            redis,
            api.prefix,
            tenant,
            run_id,
            RunCompleted(
                run_id=run_id,
                pack=PACK,
                output="x",
                usage=Usage(input_tokens=1, output_tokens=1),
                steps=1,
                duration_ms=1,
            ),
        )
        await eventually(
            lambda: api.client.get(f"/v1/runs/{run_id}", headers=auth(key)),
            until=lambda r: r.json()["state"] == "done",
            what="the run to be done",
        )
        assert_problem(
            await api.client.post(f"/v1/runs/{run_id}/cancel", headers=auth(key)),
            409,
            "RUN_FINISHED",
        )


async def test_errors_are_problem_json(ingress: Ingress) -> None:
    async with ingress(max_body_bytes=2_048) as api:
        key = await api.new_tenant()

        assert_problem(await api.client.get("/v1/runs/x"), 401, "UNAUTHENTICATED")
        assert_problem(
            await api.client.get("/v1/runs/x", headers=auth("vsk_nope_nope")),
            401,
            "UNAUTHENTICATED",
        )
        assert_problem(
            await api.client.post(
                "/v1/runs", json={"pack": "bench-echo", "input": "x"}, headers=auth(key)
            ),
            400,
            "BAD_REQUEST",
        )
        invalid = assert_problem(
            await post_run(api, key, "v1", {"pack": "Not A Pack", "input": ""}),
            422,
            "INVALID_REQUEST",
        )
        assert {tuple(error["loc"]) for error in invalid["errors"]} == {
            ("body", "pack"),
            ("body", "input"),
        }
        assert_problem(
            await post_run(api, key, "big", {"pack": "bench-echo", "input": "x" * 4_000}),
            413,
            "PAYLOAD_TOO_LARGE",
        )
        assert_problem(await api.client.get("/nowhere", headers=auth(key)), 404, "NOT_FOUND")
        assert_problem(
            await api.client.get("/v1/runs/a%00b", headers=auth(key)), 422, "INVALID_REQUEST"
        )
        assert_problem(
            await api.client.post("/v1/tenants", json={"name": "x"}, headers=auth(key)),
            403,
            "FORBIDDEN",
        )


async def test_chunked_bodies_are_capped_while_they_are_read(ingress: Ingress) -> None:
    async with ingress(max_body_bytes=2_048) as api:
        key = await api.new_tenant()

        async def body() -> AsyncIterator[bytes]:  # no Content-Length: chunked upload
            yield b'{"pack": "bench-echo", "input": "'
            for _ in range(10):
                yield b"x" * 1_000
            yield b'"}'

        response = await api.client.post(
            "/v1/runs",
            content=body(),
            headers=auth(key, **{"Idempotency-Key": "chunked", "Content-Type": "application/json"}),
        )

        assert_problem(response, 413, "PAYLOAD_TOO_LARGE")


async def test_rate_limit_answers_429_with_retry_after(ingress: Ingress) -> None:
    async with ingress(rate_limit_per_s=2) as api:
        key = await api.new_tenant()

        responses = [await api.client.get("/v1/runs/none", headers=auth(key)) for _ in range(10)]

        limited = [r for r in responses if r.status_code == 429]
        assert limited, [r.status_code for r in responses]
        assert limited[0].headers["retry-after"] == "1"
        assert_problem(limited[0], 429, "RATE_LIMITED")


async def test_health_routes_are_served_next_to_the_api(ingress: Ingress) -> None:
    async with ingress() as api:
        assert (await api.client.get("/healthz")).json()["service"] == "ingress"
        ready = await eventually(
            lambda: api.client.get("/readyz"), until=lambda r: r.status_code == 200, what="ready"
        )
        assert ready.json()["status"] == "ready"
