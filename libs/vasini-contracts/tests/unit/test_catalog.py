"""The v1 catalog: complete, named by the rules, documented, and tolerant of additions."""

from __future__ import annotations

import importlib
import pkgutil
import re
import uuid
from typing import Any

import pytest
from pydantic import ValidationError

import vasini_contracts.events as events_package
from vasini_contracts import (
    CloudEvent,
    EventData,
    InvalidEventData,
    UnknownEventType,
    catalog,
    decode_entry,
    encode_entry,
    model_for,
    new_event,
    parse_data,
)
from vasini_contracts.catalog import event_type_of, json_schemas
from vasini_contracts.envelope import TYPE_PATTERN
from vasini_contracts.events.budgets import BudgetExceeded
from vasini_contracts.events.dlq import DeadLettered
from vasini_contracts.events.runs import RunCompleted, RunRequested
from vasini_contracts.events.tenants import TenantErasureRequested
from vasini_contracts.streams import DLQ_TYPE, OUTPUT_DELTA_TYPE

# Every event ARCHITECTURE.md §5 and issue #2 name; the catalog must define each.
REQUIRED_TYPES = {
    "ai.vasini.run.requested.v1",
    "ai.vasini.run.composed.v1",
    "ai.vasini.run.admitted.v1",
    "ai.vasini.run.contextualized.v1",
    "ai.vasini.run.state.changed.v1",
    "ai.vasini.run.output.produced.v1",
    "ai.vasini.run.output.delta.v1",
    "ai.vasini.run.completed.v1",
    "ai.vasini.run.failed.v1",
    "ai.vasini.run.cancel.requested.v1",
    "ai.vasini.run.cancelled.v1",
    "ai.vasini.tool.call.requested.v1",
    "ai.vasini.tool.call.authorized.v1",
    "ai.vasini.tool.call.denied.v1",
    "ai.vasini.tool.call.completed.v1",
    "ai.vasini.approval.requested.v1",
    "ai.vasini.approval.decided.v1",
    "ai.vasini.llm.call.completed.v1",
    "ai.vasini.pack.published.v1",
    "ai.vasini.release.changed.v1",
    "ai.vasini.eval.requested.v1",
    "ai.vasini.eval.completed.v1",
    "ai.vasini.eval.gate.decided.v1",
    "ai.vasini.eval.slo.breached.v1",
    "ai.vasini.budget.warning.v1",
    "ai.vasini.budget.exceeded.v1",
    "ai.vasini.tenant.erasure.requested.v1",
    "ai.vasini.tenant.erasure.completed.v1",
    "ai.vasini.tenant.export.requested.v1",
    "ai.vasini.tenant.export.completed.v1",
    "ai.vasini.dlq.v1",
}

# Which module of vasini_contracts.events holds the events of each area.
MODULE_OF_AREA = {
    "run": "runs",
    "tool": "tools",
    "approval": "approvals",
    "llm": "llm",
    "pack": "packs",
    "release": "releases",
    "eval": "evals",
    "budget": "budgets",
    "tenant": "tenants",
    "dlq": "dlq",
}

ALL = sorted(catalog().items())


def _event_models_defined_in_the_package() -> set[type[EventData]]:
    found: set[type[EventData]] = set()
    for info in pkgutil.iter_modules(events_package.__path__):
        module = importlib.import_module(f"vasini_contracts.events.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, EventData)
                and obj.__module__ == module.__name__
                and not obj.__name__.startswith("_")
            ):
                found.add(obj)
    return found


def _example(model: type[EventData]) -> dict[str, Any]:
    extra = model.model_config.get("json_schema_extra")
    assert isinstance(extra, dict), f"{model.__name__} has no example"
    examples = extra["examples"]
    assert isinstance(examples, list)
    assert len(examples) == 1
    example = examples[0]
    assert isinstance(example, dict)
    return example


def test_catalog_defines_every_event_of_the_pipeline() -> None:
    missing = REQUIRED_TYPES - set(catalog())
    assert not missing


def test_stream_constants_name_catalog_types() -> None:
    assert model_for(DLQ_TYPE) is DeadLettered
    assert OUTPUT_DELTA_TYPE in catalog()


def test_every_event_model_of_the_package_is_registered_exactly_once() -> None:
    models = _event_models_defined_in_the_package()
    assert models == set(catalog().values())
    assert len(models) == len(catalog())


@pytest.mark.parametrize(("event_type", "model"), ALL, ids=[t for t, _ in ALL])
def test_type_follows_the_naming_rule_and_lives_in_its_area_module(
    event_type: str, model: type[EventData]
) -> None:
    assert re.fullmatch(TYPE_PATTERN, event_type)
    assert event_type.endswith(".v1")
    area = event_type.split(".")[2]
    assert model.__module__ == f"vasini_contracts.events.{MODULE_OF_AREA[area]}"
    assert event_type_of(model) == event_type
    assert model_for(event_type) is model


def test_event_type_of_an_unregistered_model_raises() -> None:
    class Stray(EventData):
        pass

    with pytest.raises(UnknownEventType, match="Stray"):
        event_type_of(Stray)


def test_registering_a_type_twice_is_refused() -> None:
    from vasini_contracts.catalog import event  # noqa: PLC0415

    with pytest.raises(ValueError, match="registered twice"):

        @event("ai.vasini.run.requested.v1")
        class Again(EventData):
            pass


@pytest.mark.parametrize(("event_type", "model"), ALL, ids=[t for t, _ in ALL])
def test_every_event_is_documented(event_type: str, model: type[EventData]) -> None:
    assert model.__doc__, f"{model.__name__} needs a docstring (the schema's description)"
    undocumented = []

    def walk(schema: dict[str, Any], where: str) -> None:
        for name, prop in schema.get("properties", {}).items():
            if not prop.get("description"):
                undocumented.append(f"{where}.{name}")

    schema = json_schemas()[event_type]
    walk(schema, model.__name__)
    for name, definition in schema.get("$defs", {}).items():
        assert definition.get("description"), f"{name} needs a docstring"
        walk(definition, name)
    assert not undocumented, "fields without Field(description=...)"


@pytest.mark.parametrize(("event_type", "model"), ALL, ids=[t for t, _ in ALL])
def test_every_example_is_valid_and_survives_the_wire(
    event_type: str, model: type[EventData]
) -> None:
    data = model.model_validate(_example(model))
    event = new_event(data, source="/vasini/test", tenant_id="acme", correlation_id="run-42")
    decoded = decode_entry(encode_entry(event))
    assert decoded.type == event_type
    assert parse_data(decoded) == data


@pytest.mark.parametrize(("event_type", "model"), ALL, ids=[t for t, _ in ALL])
def test_event_data_is_immutable(event_type: str, model: type[EventData]) -> None:
    data = model.model_validate(_example(model))
    field = next(iter(model.model_fields))
    with pytest.raises(ValidationError):
        setattr(data, field, None)


def test_model_for_an_unknown_type_raises_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType, match=re.escape("ai.vasini.nope.v1")) as caught:
        model_for("ai.vasini.nope.v1")
    assert caught.value.code == "UNKNOWN_TYPE"


def _event(event_type: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent.model_validate(
        {
            "id": str(uuid.uuid4()),
            "source": "/vasini/x",
            "type": event_type,
            "time": "2026-11-25T10:00:00Z",
            "tenantid": "acme",
            "data": data,
        }
    )


def test_parse_data_of_an_unknown_type_raises_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType) as caught:
        parse_data(_event("ai.vasini.run.exploded.v1", {}))
    assert caught.value.code == "UNKNOWN_TYPE"


def test_parse_data_names_the_invalid_fields() -> None:
    with pytest.raises(InvalidEventData) as caught:
        parse_data(_event("ai.vasini.run.requested.v1", {"pack": "p", "input": 7}))
    assert caught.value.code == "INVALID_DATA"
    assert "ai.vasini.run.requested.v1" in caught.value.message
    assert "run_id: Field required" in caught.value.message
    assert "input: Input should be a valid string" in caught.value.message


def test_parse_data_with_the_model_given_validates_the_same_way() -> None:
    """A consumer passes its route's model and skips the catalog lookup."""
    valid = _event("ai.vasini.run.requested.v1", _example(RunRequested))
    assert parse_data(valid, RunRequested) == parse_data(valid)
    with pytest.raises(InvalidEventData) as caught:
        parse_data(_event("ai.vasini.run.requested.v1", {"pack": "p"}), RunRequested)
    assert caught.value.code == "INVALID_DATA"
    assert "run_id: Field required" in caught.value.message


def test_parse_data_names_the_path_of_a_nested_invalid_field() -> None:
    data = _example(RunCompleted) | {"usage": {"input_tokens": -1, "output_tokens": 3}}
    with pytest.raises(InvalidEventData) as caught:
        parse_data(_event("ai.vasini.run.completed.v1", data))
    assert "usage.input_tokens: Input should be greater than or equal to 0" in (
        caught.value.message
    )


@pytest.mark.parametrize(
    ("event_type", "change", "field"),
    [
        ("ai.vasini.run.requested.v1", {"run_id": ""}, "run_id"),
        ("ai.vasini.run.requested.v1", {"run_id": "r" * 65}, "run_id"),
        ("ai.vasini.run.requested.v1", {"deadline_s": 0}, "deadline_s"),
        ("ai.vasini.run.state.changed.v1", {"state": "sleeping"}, "state"),
        ("ai.vasini.run.failed.v1", {"stage": "Policy!"}, "stage"),
        ("ai.vasini.run.failed.v1", {"error": {"code": "lower", "message": "m"}}, "error.code"),
        ("ai.vasini.run.completed.v1", {"pack": {"pack_id": "p", "version": "1"}}, "pack.digest"),
        ("ai.vasini.tool.call.authorized.v1", {"timeout_s": 0}, "timeout_s"),
        ("ai.vasini.tool.call.authorized.v1", {"risk": "extreme"}, "risk"),
        ("ai.vasini.approval.requested.v1", {"expires_at": "2026-11-25T11:00:00"}, "expires_at"),
        ("ai.vasini.approval.decided.v1", {"decision": "maybe"}, "decision"),
        ("ai.vasini.llm.call.completed.v1", {"cost_usd": -0.01}, "cost_usd"),
        ("ai.vasini.llm.call.completed.v1", {"provider": "acme-llm"}, "provider"),
        ("ai.vasini.llm.call.completed.v1", {"usage": {"input_tokens": 1}}, "usage.output_tokens"),
        ("ai.vasini.eval.completed.v1", {"score": 1.5}, "score"),
        ("ai.vasini.eval.gate.decided.v1", {"checks": []}, "checks"),
        ("ai.vasini.budget.warning.v1", {"threshold": 1}, "threshold"),
        ("ai.vasini.release.changed.v1", {"channel": "Prod"}, "channel"),
        ("ai.vasini.tenant.export.completed.v1", {"records": -1}, "records"),
    ],
)
def test_constraints_are_enforced(event_type: str, change: dict[str, Any], field: str) -> None:
    model = model_for(event_type)
    with pytest.raises(InvalidEventData, match=re.escape(f"{field}: ")):
        parse_data(_event(event_type, _example(model) | change))


def test_scope_and_subject_must_agree() -> None:
    base = {"request_id": "dsr-1"}
    assert TenantErasureRequested.model_validate(base | {"scope": "tenant"}).subject_id is None
    with pytest.raises(ValidationError, match="subject_id is required"):
        TenantErasureRequested.model_validate(base | {"scope": "subject"})
    with pytest.raises(ValidationError, match="subject_id is required"):
        TenantErasureRequested.model_validate(base | {"scope": "tenant", "subject_id": "u"})


def test_a_pack_budget_names_its_pack() -> None:
    example = _example(BudgetExceeded)
    assert BudgetExceeded.model_validate(example | {"scope": "pack", "pack_id": "p"}).pack_id
    with pytest.raises(ValidationError, match="pack_id is required"):
        BudgetExceeded.model_validate(example | {"scope": "pack"})


def test_unknown_data_fields_are_ignored_for_additive_evolution() -> None:
    data = parse_data(
        _event(
            "ai.vasini.run.completed.v1",
            _example(RunCompleted)
            | {
                "added_in_a_later_release": True,
                "usage": {"input_tokens": 1, "output_tokens": 2, "reasoning_tokens": 9},
            },
        )
    )
    assert isinstance(data, RunCompleted)
    assert "added_in_a_later_release" not in data.model_dump()
    assert "reasoning_tokens" not in data.usage.model_dump()


def test_optional_fields_may_be_omitted() -> None:
    data = RunRequested.model_validate({"run_id": "r", "pack": "p", "input": "i"})
    assert (data.session_id, data.metadata, data.deadline_s) == (None, {}, None)
