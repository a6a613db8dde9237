"""The composer as a service on real PostgreSQL + Valkey: requests become composed runs
carrying the digested pack config, or failures naming what is wrong; one outcome per
run whatever is delivered twice; an audit each tenant sees only its own rows of."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.tables import dead_letter
from vasini_chassis.runtime import ServiceRuntime
from vasini_chassis.testing.streams import started, stream_events
from vasini_chassis.testing.waiting import eventually
from vasini_composer.adapters.tables import compositions
from vasini_composer.app import ComposerSettings, build_runtime
from vasini_contracts import CloudEvent, encode_entry, new_event, stream_key
from vasini_contracts.envelope import new_traceparent
from vasini_contracts.events.runs import RunRequested
from vasini_packs import ComposedPack, load_pack, pack_digest

PACKS = Path(__file__).resolve().parents[4] / "packs"
TENANT, OTHER = "tenant-c", "tenant-d"
COMPOSED, FAILED = "ai.vasini.run.composed.v1", "ai.vasini.run.failed.v1"


@pytest.fixture
def packs_dir(tmp_path: Path) -> Path:
    root = tmp_path / "packs"
    for name in ("_shared", "bench-echo", "senior-python-dev", "support-engineer"):
        shutil.copytree(PACKS / name, root / name)
    return root


def composer_settings(service_settings: dict[str, Any], packs_dir: Path) -> ComposerSettings:
    return ComposerSettings(
        **service_settings, packs_dir=packs_dir, default_tier="tier-1", packs_recheck_s=0.2
    )


@pytest.fixture
async def composer(
    service_settings: dict[str, Any], packs_dir: Path
) -> AsyncIterator[ServiceRuntime]:
    async with started(build_runtime(composer_settings(service_settings, packs_dir))) as runtime:
        yield runtime


async def request(
    redis: Redis, prefix: str, run_id: str, pack: str, tenant: str = TENANT, **fields: Any
) -> CloudEvent:
    """Publish a `run.requested` as any producer would: one XADD of the envelope."""
    data = RunRequested(run_id=run_id, pack=pack, input=f"task of {run_id}", **fields)
    event = new_event(
        data,
        source="/vasini/test",
        tenant_id=tenant,
        subject=f"run/{run_id}",
        correlation_id=run_id,
        traceparent=new_traceparent(),
    )
    await again(redis, prefix, event)
    return event


async def again(redis: Redis, prefix: str, event: CloudEvent) -> None:
    """XADD `event` (same id) onto its stream: what a redelivery looks like."""
    await redis.xadd(stream_key(event.type, prefix), encode_entry(event))  # type: ignore[arg-type]


async def one(redis: Redis, prefix: str, event_type: str, run_id: str) -> CloudEvent:
    found: list[CloudEvent] = await eventually(
        lambda: stream_events(redis, event_type, prefix=prefix, run_id=run_id),
        until=lambda f: len(f) >= 1,
        what=f"{event_type} of {run_id}",
    )
    [event] = found  # exactly one
    return event


async def outcomes(redis: Redis, prefix: str, run_id: str) -> list[str]:
    """Every event the composer published for the run, by type."""
    found: list[str] = []
    for event_type in (COMPOSED, FAILED):
        events = await stream_events(redis, event_type, prefix=prefix, run_id=run_id)
        found += [e.type for e in events]
    return found


async def rows(app_url: str, schema: str, tenant: str) -> list[dict[str, Any]]:
    """The composer's audit as the app role sees it for `tenant` (RLS applies)."""
    db = Database(app_url, schema=schema)
    try:
        async with db.transaction(tenant) as conn:
            query = select(compositions).order_by(compositions.c.created_at)
            found = (await conn.execute(query)).mappings().all()
    finally:
        await db.dispose()
    return [dict(row) for row in found]


def same_trace(child: CloudEvent, parent: CloudEvent) -> bool:
    assert child.traceparent is not None
    assert parent.traceparent is not None
    return child.traceparent.split("-")[1] == parent.traceparent.split("-")[1]


async def test_a_request_is_composed_with_the_digested_config(
    composer: ServiceRuntime, redis: Redis, postgres_app_url: str, unique_name: str
) -> None:
    prefix = composer.settings.stream_prefix
    sent = await request(
        redis, prefix, "run-1", "senior-python-dev@1.0.0", session_id="sess-1", deadline_s=90
    )

    composed = await one(redis, prefix, COMPOSED, "run-1")

    reference = load_pack(PACKS / "senior-python-dev")
    data = composed.data
    assert data["pack"] == {
        "pack_id": "senior-python-dev",
        "version": "1.0.0",
        "digest": pack_digest(reference),
    }
    assert ComposedPack.from_config(data["config"]) == reference
    assert data["model_tier"] == "tier-2"  # the pack's model.tier
    assert (data["input"], data["session_id"], data["deadline_s"]) == (
        "task of run-1",
        "sess-1",
        90,
    )
    assert data["requested"] == "senior-python-dev@1.0.0"
    assert (composed.tenantid, composed.correlationid, composed.subject) == (
        TENANT,
        "run-1",
        "run/run-1",
    )
    assert composed.source == "/vasini/composer"
    assert same_trace(composed, sent)
    assert composed.traceparent != sent.traceparent
    [row] = await rows(postgres_app_url, unique_name, TENANT)
    assert (row["run_id"], row["outcome"], row["pack_id"], row["version"], row["digest"]) == (
        "run-1",
        "composed",
        "senior-python-dev",
        "1.0.0",
        pack_digest(reference),
    )
    assert (row["event_id"], row["requested"]) == (sent.id, "senior-python-dev@1.0.0")
    assert await rows(postgres_app_url, unique_name, OTHER) == []


async def test_the_tier_is_the_packs_or_the_default(composer: ServiceRuntime, redis: Redis) -> None:
    prefix = composer.settings.stream_prefix
    await request(redis, prefix, "run-t3", "support-engineer:latest")
    await request(redis, prefix, "run-default", "bench-echo")

    assert (await one(redis, prefix, COMPOSED, "run-t3")).data["model_tier"] == "tier-3"
    default = await one(redis, prefix, COMPOSED, "run-default")
    assert default.data["model_tier"] == "tier-1"  # the setting: bench-echo names no tier
    assert default.data["deadline_s"] is None


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("no-such-pack", "no pack `no-such-pack`; known packs: bench-echo, senior-python-dev, "),
        ("bench-echo@9.9.9", "pack `bench-echo` has no version 9.9.9; known versions: 1.0.0"),
        ("bench-echo:staging", "pack `bench-echo` has no channel `staging`; known channels: prod"),
        ("Bench Echo", "`Bench Echo` is not a pack reference; write `<pack>`"),
    ],
)
async def test_unknown_references_fail_with_pack_not_found(
    composer: ServiceRuntime,
    redis: Redis,
    postgres_app_url: str,
    unique_name: str,
    reference: str,
    message: str,
) -> None:
    prefix = composer.settings.stream_prefix
    sent = await request(redis, prefix, "run-nf", reference)

    failed = await one(redis, prefix, FAILED, "run-nf")

    assert failed.data["stage"] == "composer"
    assert failed.data["error"]["code"] == "PACK_NOT_FOUND"
    assert failed.data["error"]["message"].startswith(message)
    assert failed.data["error"]["retryable"] is False
    assert (failed.tenantid, failed.correlationid) == (TENANT, "run-nf")
    assert same_trace(failed, sent)
    assert await outcomes(redis, prefix, "run-nf") == [FAILED]
    [row] = await rows(postgres_app_url, unique_name, TENANT)
    assert (row["outcome"], row["pack_id"], row["message"]) == (
        "PACK_NOT_FOUND",
        None,
        failed.data["error"]["message"],
    )


async def test_an_invalid_pack_fails_with_pack_invalid_naming_its_problems(
    service_settings: dict[str, Any], redis: Redis, packs_dir: Path
) -> None:
    soul = packs_dir / "bench-echo" / "SOUL.yaml"
    soul.write_text(soul.read_text().replace("verbosity: concise", "verbosity: chatty"))
    async with started(build_runtime(composer_settings(service_settings, packs_dir))) as composer:
        prefix = composer.settings.stream_prefix
        await request(redis, prefix, "run-inv", "bench-echo")
        await request(redis, prefix, "run-ok", "senior-python-dev")

        failed = await one(redis, prefix, FAILED, "run-inv")
        await one(redis, prefix, COMPOSED, "run-ok")  # the other packs are served

    error = failed.data["error"]
    assert (error["code"], error["retryable"], failed.data["stage"]) == (
        "PACK_INVALID",
        False,
        "composer",
    )
    assert error["message"].startswith("pack `bench-echo` is invalid, 1 problem(s): ")
    assert "bench-echo/SOUL.yaml:" in error["message"]
    assert "soul.personality.verbosity" in error["message"]


async def test_a_pack_added_while_running_is_served(
    composer: ServiceRuntime, redis: Redis, packs_dir: Path
) -> None:
    prefix = composer.settings.stream_prefix
    await request(redis, prefix, "run-before", "bench-echo")
    await one(redis, prefix, COMPOSED, "run-before")
    shutil.copytree(PACKS / "data-analyst", packs_dir / "data-analyst")
    await request(redis, prefix, "run-new", "data-analyst")

    composed = await one(redis, prefix, COMPOSED, "run-new")

    assert composed.data["pack"]["digest"] == pack_digest(load_pack(PACKS / "data-analyst"))


async def test_duplicates_yield_one_outcome_per_run(
    composer: ServiceRuntime, redis: Redis, postgres_app_url: str, unique_name: str
) -> None:
    prefix = composer.settings.stream_prefix
    first = await request(redis, prefix, "run-d", "bench-echo")
    await again(redis, prefix, first)  # redelivered: same event id
    await request(redis, prefix, "run-d", "senior-python-dev")  # same run, new event id
    failing = await request(redis, prefix, "run-f", "nope")
    await again(redis, prefix, failing)
    # A later run on the same stream: once it is through, so are the duplicates.
    await request(redis, prefix, "run-last", "bench-echo")
    await one(redis, prefix, COMPOSED, "run-last")
    await eventually(
        lambda: composer.consumer.stats.duplicates,
        until=lambda n: n >= 2,
        what="both redeliveries skipped by the inbox",
    )

    assert await outcomes(redis, prefix, "run-d") == [COMPOSED]
    assert (await one(redis, prefix, COMPOSED, "run-d")).data["pack"]["pack_id"] == "bench-echo"
    assert await outcomes(redis, prefix, "run-f") == [FAILED]
    assert (composer.consumer.stats.dead_lettered, composer.consumer.stats.failures) == (0, 0)
    found = await rows(postgres_app_url, unique_name, TENANT)
    assert sorted((r["run_id"], r["outcome"]) for r in found) == [
        ("run-d", "composed"),
        ("run-f", "PACK_NOT_FOUND"),
        ("run-last", "composed"),
    ]


async def test_a_run_id_of_another_tenant_is_dead_lettered(
    composer: ServiceRuntime, redis: Redis, postgres_admin_url: str, unique_name: str
) -> None:
    prefix = composer.settings.stream_prefix
    await request(redis, prefix, "run-x", "bench-echo")
    await one(redis, prefix, COMPOSED, "run-x")
    await request(redis, prefix, "run-x", "bench-echo", tenant=OTHER)

    admin = Database(postgres_admin_url, schema=unique_name)

    async def dead() -> list[dict[str, Any]]:
        async with admin.transaction() as conn:
            return [dict(r) for r in (await conn.execute(select(dead_letter))).mappings().all()]

    try:
        letters: list[dict[str, Any]] = await eventually(
            dead, until=lambda found: len(found) == 1, what="dead letter"
        )
    finally:
        await admin.dispose()
    [row] = letters
    assert (row["reason_code"], row["tenant_id"]) == ("RUN_ID_TAKEN", OTHER)
    assert await outcomes(redis, prefix, "run-x") == [COMPOSED]


async def test_a_pack_broken_while_running_fails_once_the_edit_is_seen(
    composer: ServiceRuntime, redis: Redis, packs_dir: Path
) -> None:
    prefix = composer.settings.stream_prefix
    await request(redis, prefix, "run-ok", "bench-echo")
    await one(redis, prefix, COMPOSED, "run-ok")
    soul = packs_dir / "bench-echo" / "SOUL.yaml"
    soul.write_text(soul.read_text().replace("verbosity: concise", "verbosity: chatty"))

    counter = itertools.count(1)

    async def next_outcome() -> tuple[str, list[str]]:
        # Until the recheck interval passes, the old version may still be served.
        run_id = f"run-edit-{next(counter)}"
        await request(redis, prefix, run_id, "bench-echo")
        found: list[str] = await eventually(lambda: outcomes(redis, prefix, run_id), what=run_id)
        return run_id, found

    result: tuple[str, list[str]] = await eventually(
        next_outcome, until=lambda result: result[1] == [FAILED], what="a failed run"
    )
    failed = await one(redis, prefix, FAILED, result[0])
    assert failed.data["error"]["code"] == "PACK_INVALID"
