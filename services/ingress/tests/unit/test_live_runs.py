"""When a live stream may send notified events as they are, and when it must read."""

from __future__ import annotations

import json

from vasini_chassis.db.notifications import RECONNECTED
from vasini_ingress.adapters.repository import RunEventRow
from vasini_ingress.live import LiveRuns

RUN = "run-live-1"


def note(n: int | None, *, seq: int = 0, content: bool = True, run_id: str = RUN) -> str:
    body: dict[str, object] = {"run_id": run_id, "n": n, "seq": seq or 100 + (n or 0)}
    if content:
        body |= {"kind": "delta", "data": {"text": f"part {n}"}}
    return json.dumps(body)


def test_events_that_follow_the_last_one_sent_are_served_as_notified() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        live.changed(note(4))
        live.changed(note(5))

        assert watch.woken.is_set()
        rows = watch.follow(last_n=3)

    assert rows == [
        RunEventRow(seq=104, n=4, kind="delta", data={"text": "part 4"}),
        RunEventRow(seq=105, n=5, kind="delta", data={"text": "part 5"}),
    ]


def test_events_already_sent_by_a_read_are_dropped() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        for n in (2, 3, 4):
            live.changed(note(n))

        rows = watch.follow(last_n=3)

    assert [row.n for row in rows or []] == [4]


def test_a_gap_in_the_numbers_sends_the_stream_to_the_table() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        live.changed(note(5))

        assert watch.follow(last_n=3) is None


def test_an_event_announced_without_its_content_must_be_read() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        live.changed(note(4))
        live.changed(note(5, content=False))

        assert watch.follow(last_n=3) is None
        assert watch.follow(last_n=3) == []  # taken: the read covers it


def test_a_reconnection_sends_every_stream_to_the_table() -> None:
    live = LiveRuns()
    with live.watch(RUN) as first, live.watch("run-live-2") as second:
        live.changed(note(4))
        live.changed(RECONNECTED)

        assert first.follow(last_n=3) is None
        assert second.follow(last_n=0) is None


def test_a_stream_that_has_not_read_yet_cannot_place_a_notified_event() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        live.changed(note(1))

        assert watch.follow(last_n=None) is None


def test_nothing_notified_gives_nothing_to_send() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        assert watch.follow(last_n=3) == []
        assert not watch.woken.is_set()


def test_other_runs_events_do_not_reach_a_stream() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        live.changed(note(4, run_id="run-someone-else"))

        assert not watch.woken.is_set()
        assert watch.follow(last_n=3) == []


def test_a_closed_stream_stops_being_notified() -> None:
    live = LiveRuns()
    with live.watch(RUN) as watch:
        pass
    live.changed(note(1))

    assert not watch.woken.is_set()
