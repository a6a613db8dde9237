"""The wire codec: round trips, and a stable code for every kind of malformed entry."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vasini_contracts import (
    CloudEvent,
    MalformedEntry,
    decode_entry,
    encode_entry,
    new_event,
    new_traceparent,
    parse_data,
)
from vasini_contracts.codec import ENTRY_FIELD, MAX_ENTRY_BYTES, decode_payload, payload_text
from vasini_contracts.errors import ContractError
from vasini_contracts.events.runs import RunRequested

from .support import envelope


def entry(value: dict[str, Any] | bytes) -> dict[bytes, bytes]:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return {ENTRY_FIELD.encode(): raw}


def test_the_entry_field_is_cloudevent() -> None:
    assert ENTRY_FIELD == "cloudevent"


def test_round_trip_keeps_every_attribute() -> None:
    event = new_event(
        RunRequested(run_id="r1", pack="p", input="héllo ✓", metadata={"k": [1, None]}),
        source="/vasini/ingress",
        tenant_id="acme",
        subject="run/r1",
        traceparent=new_traceparent(),
        correlation_id="r1",
    )
    fields = encode_entry(event)
    assert list(fields) == [b"cloudevent"]
    assert decode_entry(fields) == event


def test_encoded_entry_is_structured_mode_json_without_nulls() -> None:
    event = new_event(
        RunRequested(run_id="r", pack="p", input=""), source="/vasini/x", tenant_id="t"
    )
    document = json.loads(encode_entry(event)[b"cloudevent"])
    assert document["specversion"] == "1.0"
    assert document["type"] == "ai.vasini.run.requested.v1"
    assert document["time"].endswith("Z")
    assert "subject" not in document  # None attributes are left out
    assert document["data"]["session_id"] is None  # ... but data is kept as the model says
    assert str(uuid.UUID(document["id"])) == document["id"]


def test_other_fields_next_to_cloudevent_are_ignored() -> None:
    fields = entry(envelope()) | {b"producer": b"legacy"}
    assert decode_entry(fields).tenantid == "acme"


@given(
    st.dictionaries(
        st.text(max_size=20),
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=50),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=20,
        ),
    )
)
def test_round_trip_of_arbitrary_json_data(data: dict[str, Any]) -> None:
    event = CloudEvent.model_validate(envelope(data=data))
    assert decode_entry(encode_entry(event)) == event


@given(
    run_id=st.text(min_size=1, max_size=64),
    text=st.text(max_size=500),
    session_id=st.none() | st.text(max_size=128),
    metadata=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=5),
    tenant=st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}\Z"),
)
def test_round_trip_of_run_requests_through_the_typed_model(
    run_id: str, text: str, session_id: str | None, metadata: dict[str, str], tenant: str
) -> None:
    data = RunRequested(
        run_id=run_id, pack="p", input=text, session_id=session_id, metadata=metadata
    )
    event = new_event(data, source="/vasini/ingress", tenant_id=tenant, correlation_id=run_id)
    decoded = decode_entry(encode_entry(event))
    assert decoded == event
    assert parse_data(decoded) == data


@pytest.mark.parametrize(
    ("fields", "code", "message_part"),
    [
        ({b"payload": b"{}"}, "MISSING_FIELD", "(fields: payload)"),
        ({b"b": b"1", b"a": b"2"}, "MISSING_FIELD", "(fields: a, b)"),
        ({}, "MISSING_FIELD", "(fields: none)"),
        (entry(b"{nope"), "NOT_JSON", "not valid JSON"),
        (entry(b""), "NOT_JSON", "not valid JSON"),
        (entry(b"\xff\xfe"), "NOT_JSON", "not valid JSON"),
        (entry(b'{"hello": 1}'), "NOT_A_CLOUDEVENT", "tenantid: Field required"),
        (entry(b"[1, 2]"), "NOT_A_CLOUDEVENT", "not a Vasini CloudEvent"),
        (entry(b'"just a string"'), "NOT_A_CLOUDEVENT", "not a Vasini CloudEvent"),
        (entry(envelope(source="ingress")), "NOT_A_CLOUDEVENT", "source:"),
        (entry(envelope(type="com.example.x")), "NOT_A_CLOUDEVENT", "type:"),
        (entry(envelope(time="2026-11-25T10:00:00")), "NOT_A_CLOUDEVENT", "time:"),
        (entry(envelope(traceparent="00-bad-01")), "NOT_A_CLOUDEVENT", "traceparent:"),
        (entry(envelope(extra="x")), "NOT_A_CLOUDEVENT", "extra: Extra inputs"),
        (entry(b" " * (MAX_ENTRY_BYTES + 1)), "TOO_LARGE", "limit"),
    ],
)
def test_decode_entry_names_what_is_wrong(
    fields: dict[bytes, bytes], code: str, message_part: str
) -> None:
    with pytest.raises(MalformedEntry) as caught:
        decode_entry(fields)
    assert caught.value.code == code
    assert message_part in caught.value.message
    assert isinstance(caught.value, ContractError)


def test_an_entry_exactly_at_the_limit_is_not_too_large() -> None:
    document = json.dumps(envelope()).encode()
    padded = document + b" " * (MAX_ENTRY_BYTES - len(document))
    assert len(padded) == MAX_ENTRY_BYTES
    assert decode_payload(padded).tenantid == "acme"


def test_encode_entry_refuses_events_over_the_size_limit() -> None:
    big = RunRequested(run_id="r1", pack="p", input="x" * 1_000_000)
    event = new_event(big, source="/vasini/ingress", tenant_id="acme")
    event = event.model_copy(update={"data": {**event.data, "metadata": {"pad": "y" * 60_000}}})
    with pytest.raises(MalformedEntry) as caught:
        encode_entry(event)
    assert caught.value.code == "TOO_LARGE"


def test_payload_text_keeps_an_undecodable_entry_readable() -> None:
    text = payload_text({b"cloudevent": b"{nope\xff", b"x": b"1"})
    assert json.loads(text) == {"cloudevent": "{nope\ufffd", "x": "1"}
