"""Malformed entries are dead-lettered with a reason while the consumer carries on; a
consumer group created after events were published still receives them."""

from __future__ import annotations

import json

from redis.asyncio import Redis
from sqlalchemy import select

from vasini_chassis.db.engine import Database
from vasini_chassis.messaging.tables import dead_letter
from vasini_chassis.testing.waiting import eventually
from vasini_contracts import encode_entry, stream_key

from .support import count_effects, run_requested

RUN_TYPE = "ai.vasini.run.requested.v1"


async def reasons_by_entry(db: Database) -> dict[str, tuple[str, str]]:
    async with db.transaction() as conn:
        rows = (await conn.execute(select(dead_letter))).all()
    return {row.entry_id: (row.reason_code, row.error) for row in rows}


async def test_malformed_entries_are_dead_lettered_with_reasons_and_the_consumer_continues(
    admin_db: Database, redis: Redis, running_example
) -> None:
    valid = run_requested(run_id="after-the-garbage")
    envelope = json.loads(encode_entry(valid)[b"cloudevent"])
    unknown_type = {
        **envelope,
        "id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "type": "ai.vasini.nothing.happened.v1",
    }
    invalid_data = {
        **envelope,
        "id": "2b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "data": {"pack": "bench-echo", "input": 42},
    }
    garbage: dict[str, dict[str, str]] = {
        "MISSING_FIELD": {"payload": "{}"},
        "NOT_JSON": {"cloudevent": "{this is not json"},
        "NOT_A_CLOUDEVENT": {"cloudevent": json.dumps({"hello": "world"})},
        "UNKNOWN_TYPE": {"cloudevent": json.dumps(unknown_type)},
        "INVALID_DATA": {"cloudevent": json.dumps(invalid_data)},
    }
    async with running_example() as runtime:
        stream = stream_key(RUN_TYPE, runtime.settings.stream_prefix)
        entry_ids = {
            code: (await redis.xadd(stream, fields)).decode() for code, fields in garbage.items()
        }
        await redis.xadd(stream, encode_entry(valid))

        await eventually(
            lambda: count_effects(admin_db, event_id=valid.id),
            until=lambda n: n == 1,
            what="the valid event behind the garbage",
        )
        reasons = await eventually(
            lambda: reasons_by_entry(admin_db),
            until=lambda r: len(r) == len(garbage),
            what="every malformed entry dead-lettered",
        )

        assert {entry: code for entry, (code, _) in reasons.items()} == {
            entry: code for code, entry in entry_ids.items()
        }
        errors = {code: reasons[entry][1] for code, entry in entry_ids.items()}
        assert "no 'cloudevent' field (fields: payload)" in errors["MISSING_FIELD"]
        assert "not valid JSON" in errors["NOT_JSON"]
        assert "tenantid: Field required" in errors["NOT_A_CLOUDEVENT"]
        assert "ai.vasini.nothing.happened.v1" in errors["UNKNOWN_TYPE"]
        assert "run_id" in errors["INVALID_DATA"]
        assert "input" in errors["INVALID_DATA"]
        assert runtime.consumer.stats.dead_lettered == len(garbage)
        assert (await redis.xpending(stream, "example"))["pending"] == 0


async def test_group_created_after_events_were_published_still_receives_them(
    admin_db: Database, redis: Redis, running_example, example_settings
) -> None:
    stream = stream_key(RUN_TYPE, example_settings().stream_prefix)
    early = [run_requested(run_id=f"early-{n}") for n in range(3)]
    for event in early:  # published while no consumer group exists at all
        await redis.xadd(stream, encode_entry(event))
    assert await redis.xinfo_groups(stream) == []

    async with running_example():
        for event in early:
            await eventually(
                lambda e=event: count_effects(admin_db, event_id=e.id),
                until=lambda n: n == 1,
                what=f"effect of {event.id}",
            )
