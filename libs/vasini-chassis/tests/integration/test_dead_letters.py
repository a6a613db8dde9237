"""Poison events end in the dead-letter stream and table with their error; replay works."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import select

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.tables import dead_letter
from vasini_chassis.settings import ServiceSettings
from vasini_chassis.testing.waiting import eventually
from vasini_contracts import DLQ_TYPE, decode_entry, parse_data, stream_key
from vasini_contracts.events.dlq import DeadLettered

from .support import count_effects, publish, run_requested


async def vasini_dlq(*args: str, settings: ServiceSettings) -> tuple[int, str, str]:
    """Run `vasini dlq ...` as its own process against the service's schema."""
    cli = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vasini_cli.main",
        "dlq",
        *args,
        "--schema",
        settings.schema_name,
        "--database-url",
        settings.database_url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(cli.communicate(), timeout=60)
    assert cli.returncode is not None
    return cli.returncode, stdout.decode(), stderr.decode()


async def dead_letters(db: Database) -> list[dict[str, object]]:
    async with db.transaction() as conn:
        rows = (await conn.execute(select(dead_letter).order_by(dead_letter.c.id))).all()
    return [dict(row._mapping) for row in rows]


async def dlq_notices(redis: Redis, prefix: str) -> list[DeadLettered]:
    entries = await redis.xrange(stream_key(DLQ_TYPE, prefix))
    notices = []
    for _, fields in entries:
        data = parse_data(decode_entry(fields))
        assert isinstance(data, DeadLettered)
        notices.append(data)
    return notices


async def test_always_failing_handler_is_dead_lettered_after_max_deliveries_then_replayed(
    admin_db: Database, redis: Redis, running_example, tmp_path: Path
) -> None:
    switch = tmp_path / "repaired"
    event = run_requested(run_id="poison", input_text=f"fail-unless:{switch}")
    async with running_example(max_deliveries=3) as runtime:
        prefix = runtime.settings.stream_prefix
        await publish(admin_db, event, prefix=prefix)
        rows = await eventually(
            lambda: dead_letters(admin_db),
            timeout=30,
            what="the poison event in the dead_letter table",
        )
        notices = await eventually(
            lambda: dlq_notices(redis, prefix), what="the notice on the DLQ stream"
        )

        [row] = rows
        assert row["event_id"] == event.id
        assert row["reason_code"] == "MAX_DELIVERIES"
        assert row["deliveries"] == 3
        assert "the switch file is missing" in str(row["error"])
        assert json.loads(str(row["payload"]))["cloudevent"]
        [notice] = notices
        assert notice.original_event_id == str(event.id)
        assert notice.reason_code == "MAX_DELIVERIES"
        assert notice.deliveries == 3
        assert "the switch file is missing" in notice.error
        assert runtime.consumer.stats.failures == 3
        assert await count_effects(admin_db, event_id=event.id) == 0
        pending = await redis.xpending(stream_key(event.type, prefix), "example")
        assert pending["pending"] == 0, "a dead-lettered entry is acked"

        code, stdout, stderr = await vasini_dlq("list", "--json", settings=runtime.settings)
        assert code == 0, stderr
        [listed] = [json.loads(line) for line in stdout.splitlines()]
        assert (listed["id"], listed["reason_code"]) == (row["id"], "MAX_DELIVERIES")
        assert "the switch file is missing" in listed["error"]

        # The operator fixes the cause and replays with the CLI, as a user would.
        switch.touch()
        code, stdout, stderr = await vasini_dlq("replay", str(row["id"]), settings=runtime.settings)
        assert code == 0, stderr
        assert "queued 1 dead letter(s)" in stdout

        await eventually(
            lambda: count_effects(admin_db, event_id=event.id),
            until=lambda n: n == 1,
            what="the replayed event's effect",
        )
        [replayed] = await dead_letters(admin_db)
        assert replayed["replayed_at"] is not None
        assert replayed["replay_count"] == 1


async def test_rejected_event_is_dead_lettered_at_once_with_the_handler_code(
    admin_db: Database, running_example
) -> None:
    event = run_requested(run_id="refused", input_text="reject")
    async with running_example(max_deliveries=5) as runtime:
        await publish(admin_db, event, prefix=runtime.settings.stream_prefix)
        [row] = await eventually(lambda: dead_letters(admin_db), what="the rejected event")
        assert row["reason_code"] == "EXAMPLE_REJECTED"
        assert row["deliveries"] == 1
        assert row["error"] == "this input is refused for good"
        assert runtime.consumer.stats.failures == 0


async def test_replaying_an_unknown_dead_letter_id_fails_with_a_clear_message(
    running_example,
) -> None:
    async with running_example() as runtime:
        code, _, stderr = await vasini_dlq("replay", "424242", settings=runtime.settings)
        assert code == 1
        assert stderr.strip() == "error: no dead letter with id 424242"
