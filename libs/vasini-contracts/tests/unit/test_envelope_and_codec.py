"""The envelope's rules and the codec's round trip and failure codes."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from vasini_contracts import (
    CloudEvent,
    MalformedEntry,
    decode_entry,
    encode_entry,
    new_event,
    new_traceparent,
)
from vasini_contracts.codec import MAX_ENTRY_BYTES
from vasini_contracts.events.runs import RunRequested


def _envelope(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "source": "/vasini/ingress",
        "type": "ai.vasini.run.requested.v1",
        "time": "2026-11-25T10:00:00Z",
        "tenantid": "acme",
        "data": {"run_id": "r1", "pack": "p", "input": "hi"},
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("source", "ingress"),
        ("source", "/other/ingress"),
        ("type", "com.example.thing"),
        ("type", "ai.vasini.run.requested"),
        ("time", "2026-11-25T10:00:00"),
        ("traceparent", "00-xyz-00f067aa0ba902b7-01"),
        ("tenantid", ""),
        ("tenantid", "has space"),
        ("specversion", "0.3"),
        ("unknown_attribute", "x"),
    ],
)
def test_envelope_refuses_attribute_breaking_the_wire_rules(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        CloudEvent.model_validate(_envelope(**{field: value}))


def test_new_event_fills_type_id_and_time_and_exposes_trace_id() -> None:
    parent = new_traceparent()
    event = new_event(
        RunRequested(run_id="r1", pack="p", input="hi"),
        source="/vasini/ingress",
        tenant_id="acme",
        traceparent=parent,
        correlation_id="r1",
    )
    assert event.type == "ai.vasini.run.requested.v1"
    assert event.time.tzinfo is not None
    assert event.trace_id == parent.split("-")[1]
    assert event.data == {
        "run_id": "r1",
        "pack": "p",
        "input": "hi",
        "session_id": None,
        "metadata": {},
    }


def test_codec_round_trip_keeps_every_attribute() -> None:
    event = new_event(
        RunRequested(run_id="r1", pack="p", input="héllo"),
        source="/vasini/ingress",
        tenant_id="acme",
        subject="run/r1",
        traceparent=new_traceparent(),
        correlation_id="r1",
    )
    fields = encode_entry(event)
    assert list(fields) == [b"cloudevent"]
    assert decode_entry(fields) == event


@given(
    st.dictionaries(
        st.text(max_size=20),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=50),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=20,
        ),
    )
)
def test_codec_round_trips_arbitrary_json_data(data: dict[str, Any]) -> None:
    event = CloudEvent.model_validate(_envelope(data=data))
    assert decode_entry(encode_entry(event)) == event


@pytest.mark.parametrize(
    ("fields", "code", "message_part"),
    [
        ({b"payload": b"{}"}, "MISSING_FIELD", "(fields: payload)"),
        ({}, "MISSING_FIELD", "(fields: none)"),
        ({b"cloudevent": b"{nope"}, "NOT_JSON", "not valid JSON"),
        ({b"cloudevent": b"\xff\xfe"}, "NOT_JSON", "not valid JSON"),
        ({b"cloudevent": b'{"hello": 1}'}, "NOT_A_CLOUDEVENT", "tenantid: Field required"),
        ({b"cloudevent": b"[1, 2]"}, "NOT_A_CLOUDEVENT", "not a Vasini CloudEvent"),
        ({b"cloudevent": b" " * (MAX_ENTRY_BYTES + 1)}, "TOO_LARGE", "limit"),
    ],
)
def test_decode_entry_names_what_is_wrong(
    fields: dict[bytes, bytes], code: str, message_part: str
) -> None:
    with pytest.raises(MalformedEntry) as caught:
        decode_entry(fields)
    assert caught.value.code == code
    assert message_part in caught.value.message


def test_encode_entry_refuses_events_over_the_size_limit() -> None:
    big = RunRequested(run_id="r1", pack="p", input="x" * 1_000_000)
    event = new_event(big, source="/vasini/ingress", tenant_id="acme")
    event = event.model_copy(update={"data": {**event.data, "metadata": {"pad": "y" * 60_000}}})
    with pytest.raises(MalformedEntry) as caught:
        encode_entry(event)
    assert caught.value.code == "TOO_LARGE"


def test_time_of_new_event_is_now_in_utc() -> None:
    before = datetime.now(UTC)
    event = new_event(
        RunRequested(run_id="r", pack="p", input=""), source="/vasini/x", tenant_id="t"
    )
    assert before <= event.time <= datetime.now(UTC)
    assert json.loads(encode_entry(event)[b"cloudevent"])["time"].endswith("Z")
