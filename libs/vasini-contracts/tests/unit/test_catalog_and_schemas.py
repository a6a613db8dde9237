"""The catalog is complete and named by the rules; committed schemas match the models;
the WIRE.md example really decodes."""

from __future__ import annotations

import json
import pkgutil
import re
from pathlib import Path

import pytest

import vasini_contracts.events as events_package
from vasini_contracts import (
    CloudEvent,
    EventData,
    InvalidEventData,
    UnknownEventType,
    catalog,
    decode_entry,
    model_for,
    parse_data,
)
from vasini_contracts.envelope import TYPE_PATTERN
from vasini_contracts.events.runs import RunRequested
from vasini_contracts.schema_export import drift, rendered_schemas

REPO = Path(__file__).resolve().parents[4]

# The events ARCHITECTURE.md §5 and issue #2 name; the catalog must define each.
REQUIRED_TYPES = {
    "ai.vasini.run.requested.v1",
    "ai.vasini.run.composed.v1",
    "ai.vasini.run.admitted.v1",
    "ai.vasini.run.contextualized.v1",
    "ai.vasini.run.output.produced.v1",
    "ai.vasini.run.output.delta.v1",
    "ai.vasini.run.completed.v1",
    "ai.vasini.run.failed.v1",
    "ai.vasini.tool.call.requested.v1",
    "ai.vasini.tool.call.authorized.v1",
    "ai.vasini.tool.call.denied.v1",
    "ai.vasini.tool.call.completed.v1",
    "ai.vasini.approval.requested.v1",
    "ai.vasini.approval.decided.v1",
    "ai.vasini.llm.call.completed.v1",
    "ai.vasini.pack.published.v1",
    "ai.vasini.release.changed.v1",
    "ai.vasini.eval.completed.v1",
    "ai.vasini.budget.exceeded.v1",
    "ai.vasini.tenant.erasure.requested.v1",
    "ai.vasini.tenant.export.requested.v1",
    "ai.vasini.dlq.v1",
}


def test_catalog_defines_every_event_of_the_pipeline() -> None:
    assert set(catalog()) >= REQUIRED_TYPES


def test_every_event_model_in_the_events_package_is_registered_under_a_valid_type() -> None:
    models = {
        obj
        for info in pkgutil.iter_modules(events_package.__path__)
        for obj in vars(__import__(f"vasini_contracts.events.{info.name}", fromlist=["_"])).values()
        if isinstance(obj, type)
        and issubclass(obj, EventData)
        and obj is not EventData
        and not obj.__name__.startswith("_")
    }
    registered = set(catalog().values())
    assert models == registered
    for event_type in catalog():
        assert re.fullmatch(TYPE_PATTERN, event_type), event_type


def test_model_for_an_unknown_type_raises_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType, match=re.escape("ai.vasini.nope.v1")):
        model_for("ai.vasini.nope.v1")


def test_parse_data_names_the_invalid_fields() -> None:
    event = CloudEvent.model_validate(
        {
            "id": "8c1f6a53-3a8e-4f57-9d0b-6f0c2b0b7d11",
            "source": "/vasini/x",
            "type": "ai.vasini.run.requested.v1",
            "time": "2026-11-25T10:00:00Z",
            "tenantid": "acme",
            "data": {"pack": "p", "input": 7},
        }
    )
    with pytest.raises(InvalidEventData) as caught:
        parse_data(event)
    assert caught.value.code == "INVALID_DATA"
    assert "run_id: Field required" in caught.value.message
    assert "input: Input should be a valid string" in caught.value.message


def test_unknown_data_fields_are_ignored_for_additive_evolution() -> None:
    data = RunRequested.model_validate(
        {"run_id": "r", "pack": "p", "input": "i", "added_in_a_later_release": True}
    )
    assert not hasattr(data, "added_in_a_later_release")


def test_committed_event_schemas_match_the_models() -> None:
    assert drift(REPO / "schemas" / "events") == [], "run `make schemas`"


def test_schema_drift_is_detected(tmp_path: Path) -> None:
    for name, content in rendered_schemas().items():
        (tmp_path / name).write_text(content)
    (tmp_path / "ai.vasini.run.requested.v1.json").write_text("{}\n")
    (tmp_path / "ai.vasini.dlq.v1.json").unlink()
    (tmp_path / "ai.vasini.gone.v1.json").write_text("{}\n")
    assert drift(tmp_path) == [
        "missing: ai.vasini.dlq.v1.json",
        "not in the catalog: ai.vasini.gone.v1.json",
        "out of date: ai.vasini.run.requested.v1.json",
    ]


def test_wire_doc_xadd_example_decodes_into_a_valid_run_request() -> None:
    wire = (REPO / "schemas" / "WIRE.md").read_text()
    match = re.search(r"XADD (\S+) '\*' cloudevent '(\{.*\})'", wire)
    assert match, "WIRE.md shows an XADD example"
    stream, payload = match.groups()
    event = decode_entry({b"cloudevent": payload.encode()})
    assert event.type == stream
    data = parse_data(event)
    assert isinstance(data, RunRequested)
    assert data.run_id == event.correlationid == "run-42"
    assert json.loads(payload)["tenantid"] == event.tenantid
