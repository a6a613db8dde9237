"""schemas/events/: generated from the models, committed, and kept in sync."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing

from vasini_contracts import ContractError, catalog, decode_entry, parse_data
from vasini_contracts.schema_export import (
    ENVELOPE_ATTRIBUTES,
    ENVELOPE_FILE,
    default_out_dir,
    drift,
    main,
    rendered_schemas,
    write,
)

REPO = Path(__file__).resolve().parents[4]
COMMITTED = REPO / "schemas" / "events"


def test_the_repository_root_is_where_the_test_thinks() -> None:
    assert (REPO / "libs" / "vasini-contracts" / "tests" / "unit" / Path(__file__).name).is_file()


def test_committed_schemas_equal_freshly_generated_ones() -> None:
    expected = rendered_schemas()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in COMMITTED.glob("*.json")}
    assert sorted(on_disk) == sorted(expected), "run `make schemas`"
    stale = [name for name in expected if on_disk[name] != expected[name]]
    assert not stale, f"out of date, run `make schemas`: {stale}"
    assert drift(COMMITTED) == []


def test_one_file_per_event_type_plus_the_envelope() -> None:
    names = set(rendered_schemas())
    assert names == {f"{t}.json" for t in catalog()} | {ENVELOPE_FILE}


def test_output_is_deterministic_json_with_sorted_keys_and_a_final_newline() -> None:
    first, second = rendered_schemas(), rendered_schemas()
    assert first == second
    for name, content in first.items():
        assert content.endswith("}\n")
        assert not content.endswith("\n\n")
        document = json.loads(content)
        assert content == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert document["$id"] == name


def test_event_schemas_describe_the_data_of_their_type() -> None:
    schema = json.loads(rendered_schemas()["ai.vasini.run.requested.v1.json"])
    assert schema["x-vasini-event-type"] == "ai.vasini.run.requested.v1"
    assert schema["title"] == "RunRequested"
    assert set(schema["required"]) == {"run_id", "pack", "input"}
    assert schema["properties"]["run_id"]["maxLength"] == 64
    assert schema["properties"]["run_id"]["description"]


def test_every_envelope_attribute_is_described() -> None:
    envelope = json.loads(rendered_schemas()[ENVELOPE_FILE])
    assert set(envelope["properties"]) == set(ENVELOPE_ATTRIBUTES)
    assert envelope["additionalProperties"] is False
    assert {"id", "source", "type", "time", "tenantid", "data"} <= set(envelope["required"])
    for name, prop in envelope["properties"].items():
        assert prop["description"] == ENVELOPE_ATTRIBUTES[name]
    refs = {rule["then"]["properties"]["data"]["$ref"] for rule in envelope["allOf"]}
    assert refs == {f"{t}.json" for t in catalog()}


def test_drift_reports_changed_missing_and_extra_files(tmp_path: Path) -> None:
    write(tmp_path)
    assert drift(tmp_path) == []
    (tmp_path / "ai.vasini.run.requested.v1.json").write_text("{}\n")
    (tmp_path / "ai.vasini.dlq.v1.json").unlink()
    (tmp_path / "ai.vasini.gone.v1.json").write_text("{}\n")
    assert drift(tmp_path) == [
        "missing: ai.vasini.dlq.v1.json",
        "not in the catalog: ai.vasini.gone.v1.json",
        "out of date: ai.vasini.run.requested.v1.json",
    ]
    assert drift(tmp_path / "nowhere") == [f"missing: {n}" for n in sorted(rendered_schemas())]


def test_cli_check_fails_on_drift_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert main(["--check", "--out", str(tmp_path)]) == 0
    capsys.readouterr()

    tampered = tmp_path / "ai.vasini.run.failed.v1.json"
    tampered.write_text("{}\n")
    (tmp_path / "ai.vasini.gone.v1.json").write_text("{}\n")
    assert main(["--check", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "out of date: ai.vasini.run.failed.v1.json" in err
    assert "not in the catalog: ai.vasini.gone.v1.json" in err
    assert tampered.read_text() == "{}\n"  # --check wrote nothing

    assert main(["--out", str(tmp_path)]) == 0  # regenerating repairs and prunes
    assert drift(tmp_path) == []
    assert not (tmp_path / "ai.vasini.gone.v1.json").exists()


def test_default_directory_is_found_from_anywhere_inside_the_repository(tmp_path: Path) -> None:
    nested = REPO / "libs" / "vasini-contracts" / "src"
    assert default_out_dir(nested) == REPO / "schemas" / "events"
    assert default_out_dir(REPO) == REPO / "schemas" / "events"
    with pytest.raises(FileNotFoundError):
        default_out_dir(tmp_path)


def test_cli_without_out_checks_the_repository_from_a_subdirectory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO / "libs")
    assert main(["--check"]) == 0


def test_cli_outside_a_repository_asks_for_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert not os.listdir(tmp_path)


# -- the committed schemas as a non-Python producer would use them ------------------------


def _validator() -> Any:
    resources = [
        (p.name, referencing.Resource.from_contents(json.loads(p.read_text())))
        for p in COMMITTED.glob("*.json")
    ]
    registry = referencing.Registry().with_resources(resources)
    envelope = json.loads((COMMITTED / ENVELOPE_FILE).read_text())
    jsonschema.Draft202012Validator.check_schema(envelope)
    return jsonschema.Draft202012Validator(
        envelope, registry=registry, format_checker=jsonschema.FormatChecker()
    )


def _message(event_type: str, data: dict[str, Any], **attributes: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/vasini/test",
        "type": event_type,
        "time": "2026-11-25T10:00:00Z",
        "tenantid": "acme",
        "data": data,
        **attributes,
    }


@pytest.mark.parametrize("event_type", sorted(catalog()))
def test_each_schema_example_validates_as_a_whole_message(event_type: str) -> None:
    schema = json.loads((COMMITTED / f"{event_type}.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    [example] = schema["examples"]
    assert list(_validator().iter_errors(_message(event_type, example))) == []


@pytest.mark.parametrize(
    ("message_change", "data_change", "error"),
    [
        ({}, {"run_id": None}, "None is not of type 'string'"),
        ({}, {"input": 7}, "7 is not of type 'string'"),
        ({}, {"deadline_s": 0}, "0 is not valid under any of the given schemas"),
        ({"tenantid": "a b"}, {}, "does not match"),
        ({"source": "ingress"}, {}, "does not match"),
        ({"type": "ai.vasini.run.requested"}, {}, "does not match"),
        ({"extra": 1}, {}, "Additional properties are not allowed"),
        ({"data": "text"}, None, "'text' is not of type 'object'"),
    ],
)
def test_the_envelope_schema_rejects_what_the_codec_rejects(
    message_change: dict[str, Any], data_change: dict[str, Any] | None, error: str
) -> None:
    data: dict[str, Any] = {"run_id": "r", "pack": "p", "input": "i"}
    if data_change is not None:
        data |= data_change
    message = _message("ai.vasini.run.requested.v1", data) | message_change
    errors = [e.message for e in _validator().iter_errors(message)]
    assert any(error in text for text in errors), errors
    with pytest.raises(ContractError):  # and the Python side refuses it too
        parse_data(decode_entry({b"cloudevent": json.dumps(message).encode()}))
