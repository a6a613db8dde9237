"""The composer as a service on real PostgreSQL + Valkey: requests become composed
runs carrying the digested pack config, or failures naming what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.streams import started, stream_events, xadd_event
from vasini_chassis.testing.waiting import eventually
from vasini_composer.app import ComposerSettings, build_runtime
from vasini_contracts import CloudEvent, encode_entry, stream_key
from vasini_contracts.events.runs import RunRequested
from vasini_packs import ComposedPack, load_pack, pack_digest

PACKS = Path(__file__).resolve().parents[4] / "packs"


@pytest.fixture
def composer(service_settings: dict[str, Any]) -> ServiceRuntime:
    return build_runtime(ComposerSettings(**service_settings, packs_dir=PACKS))


async def request(redis: Redis, prefix: str, run_id: str, pack: str) -> None:
    data = RunRequested(run_id=run_id, pack=pack, input="hi", deadline_s=60)
    event = await xadd_event(redis, data, prefix=prefix, tenant_id="tenant-c", run_id=run_id)
    # Delivered twice: composed once (inbox dedup).
    await redis.xadd(stream_key(event.type, prefix), encode_entry(event))  # type: ignore[arg-type]


async def outcomes(redis: Redis, prefix: str, event_type: str) -> list[CloudEvent]:
    return await stream_events(redis, event_type, prefix=prefix)


async def test_requests_are_composed_or_failed_once_each(
    composer: ServiceRuntime, redis: Redis
) -> None:
    async with started(composer):
        await compose_and_fail(composer.settings.stream_prefix, redis)


async def compose_and_fail(prefix: str, redis: Redis) -> None:
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
