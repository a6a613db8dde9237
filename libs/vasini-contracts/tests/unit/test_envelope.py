"""The envelope's rules (ARCHITECTURE.md §2) and `new_event`."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from vasini_contracts import CloudEvent, UnknownEventType, new_event, new_traceparent
from vasini_contracts.catalog import EventData
from vasini_contracts.envelope import TRACEPARENT_PATTERN
from vasini_contracts.events.runs import RunRequested

from .support import envelope


def test_a_minimal_envelope_is_valid_and_gets_the_defaults() -> None:
    event = CloudEvent.model_validate(envelope())
    assert event.specversion == "1.0"
    assert event.datacontenttype == "application/json"
    assert event.subject is None
    assert event.traceparent is None
    assert event.trace_id is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("source", "ingress"),
        ("source", "/other/ingress"),
        ("source", "/vasini/Ingress"),
        ("source", "/vasini/"),
        ("type", "com.example.thing"),
        ("type", "ai.vasini.run.requested"),
        ("type", "ai.vasini.Run.requested.v1"),
        ("type", "ai.vasini.v1"),
        ("time", "2026-11-25T10:00:00"),
        ("time", "yesterday"),
        ("traceparent", "00-xyz-00f067aa0ba902b7-01"),
        ("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"),
        ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"),
        ("tenantid", ""),
        ("tenantid", "has space"),
        ("tenantid", "x" * 129),
        ("id", "not-a-uuid"),
        ("specversion", "0.3"),
        ("specversion", None),
        ("datacontenttype", "text/plain"),
        ("subject", "s" * 513),
        ("correlationid", "c" * 129),
        ("data", "a string"),
        ("data", [1, 2]),
        ("unknown_attribute", "x"),
    ],
)
def test_envelope_refuses_an_attribute_breaking_the_wire_rules(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        CloudEvent.model_validate(envelope(**{field: value}))
    assert caught.value.errors()[0]["loc"][0] == field


@pytest.mark.parametrize("field", ["id", "source", "type", "time", "tenantid", "data"])
def test_envelope_requires_the_mandatory_attributes(field: str) -> None:
    values = envelope()
    del values[field]
    with pytest.raises(ValidationError, match=field):
        CloudEvent.model_validate(values)


def test_time_keeps_its_offset() -> None:
    event = CloudEvent.model_validate(envelope(time="2026-11-25T12:00:00+02:00"))
    assert event.time == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert event.time.utcoffset() == timedelta(hours=2)


def test_new_event_fills_type_id_and_time_and_exposes_the_trace_id() -> None:
    parent = new_traceparent()
    event = new_event(
        RunRequested(run_id="r1", pack="p", input="hi"),
        source="/vasini/ingress",
        tenant_id="acme",
        subject="run/r1",
        traceparent=parent,
        correlation_id="r1",
    )
    assert event.type == "ai.vasini.run.requested.v1"
    assert event.id.version == 4
    assert event.time.tzinfo is not None
    assert event.trace_id == parent.split("-")[1]
    assert (event.subject, event.correlationid, event.tenantid) == ("run/r1", "r1", "acme")
    assert event.data == {
        "run_id": "r1",
        "pack": "p",
        "input": "hi",
        "session_id": None,
        "metadata": {},
        "deadline_s": None,
    }


def test_new_event_uses_the_given_id_and_time() -> None:
    event_id = uuid.uuid4()
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5)))
    event = new_event(
        RunRequested(run_id="r", pack="p", input=""),
        source="/vasini/x",
        tenant_id="t",
        event_id=event_id,
        time=when,
    )
    assert (event.id, event.time) == (event_id, when)


def test_new_event_refuses_a_naive_time_and_a_bad_source() -> None:
    data = RunRequested(run_id="r", pack="p", input="")
    with pytest.raises(ValidationError, match="time"):
        new_event(data, source="/vasini/x", tenant_id="t", time=datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="source"):
        new_event(data, source="vasini/x", tenant_id="t")


def test_new_event_refuses_an_unregistered_model() -> None:
    class NotInTheCatalog(EventData):
        x: int

    with pytest.raises(UnknownEventType, match="NotInTheCatalog"):
        new_event(NotInTheCatalog(x=1), source="/vasini/x", tenant_id="t")


def test_new_traceparents_are_valid_and_distinct() -> None:
    parents = {new_traceparent() for _ in range(100)}
    assert len(parents) == 100
    for parent in parents:
        assert re.fullmatch(TRACEPARENT_PATTERN, parent)
        assert parent.startswith("00-")
        assert parent.endswith("-01")
        assert CloudEvent.model_validate(envelope(traceparent=parent)).traceparent == parent


def test_the_envelope_is_immutable() -> None:
    event = CloudEvent.model_validate(envelope())
    with pytest.raises(ValidationError):
        event.tenantid = "other"  # type: ignore[misc]
