"""The composer as a service on real PostgreSQL + Valkey: requests become composed
runs carrying the digested pack config, or failures naming what is wrong."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.waiting import eventually
from vasini_composer.app import ComposerSettings, build_runtime
from vasini_contracts import CloudEvent, decode_entry, encode_entry, new_event, stream_key
from vasini_contracts.events.runs import RunRequested
from vasini_packs import ComposedPack, load_pack, pack_digest

PACKS = Path(__file__).resolve().parents[4] / "packs"


@pytest.fixture
async def composer(
    unique_name: str, postgres_admin_url: str, postgres_app_url: str, redis_url: str
) -> AsyncIterator[ServiceRuntime]:
    runtime = build_runtime(
        ComposerSettings(
            database_url=postgres_app_url,
            database_admin_url=postgres_admin_url,
            redis_url=redis_url,
            stream_prefix=f"{unique_name}.",
            db_schema=unique_name,
            packs_dir=PACKS,
            read_block_ms=100,
            relay_poll_s=0.2,
            shutdown_grace_s=5.0,
        )
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


async def request(redis: Redis, prefix: str, run_id: str, pack: str) -> None:
    event = new_event(
        RunRequested(run_id=run_id, pack=pack, input="hi", deadline_s=60),
        source="/vasini/test",
        tenant_id="tenant-c",
        subject=f"run/{run_id}",
        correlation_id=run_id,
    )
    for _ in range(2):  # delivered twice: composed once (inbox dedup)
        await redis.xadd(stream_key(event.type, prefix), encode_entry(event))  # type: ignore[arg-type]


async def outcomes(redis: Redis, prefix: str, event_type: str) -> list[CloudEvent]:
    return [decode_entry(f) for _, f in await redis.xrange(stream_key(event_type, prefix))]


async def test_requests_are_composed_or_failed_once_each(
    composer: ServiceRuntime, redis: Redis
) -> None:
    prefix = composer.settings.stream_prefix
    await request(redis, prefix, "run-1", "senior-python-dev@1.0.0")
    await request(redis, prefix, "run-2", "senior-python-dev@9.0.0")

    # Handled and relayed in stream order: once run-2's outcome is out, both deliveries
    # of run-1 were handled, so exactly one composition is the dedup at work.
    (failed,) = await eventually(
        lambda: outcomes(redis, prefix, "ai.vasini.run.failed.v1"),
        until=lambda found: len(found) == 1,
        what="run.failed",
    )
    (composed,) = await outcomes(redis, prefix, "ai.vasini.run.composed.v1")

    reference = load_pack(PACKS / "senior-python-dev")
    assert composed.correlationid == "run-1"
    assert composed.data["pack"]["digest"] == pack_digest(reference)
    assert ComposedPack.from_config(composed.data["config"]) == reference
    assert (composed.data["model_tier"], composed.data["deadline_s"]) == ("tier-2", 60)
    assert failed.correlationid == "run-2"
    assert failed.data["error"]["code"] == "PACK_NOT_FOUND"
    assert "1.0.0" in failed.data["error"]["message"]
