"""The pydantic models and the pack JSON Schemas accept, reject and default alike.

Every fixture in `fixtures/schema_cases/{valid,invalid}/<kind>/` goes through both the
schema (`Draft202012Validator`) and the model. An invalid fixture starts with
`# invalid: <why>` and a `# at: <path>` line naming where the fault is; both validators
must report it there and nowhere else, so a fixture cannot pass by failing for some
other, accidental reason.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from vasini_packs import models

KINDS = ("manifest", "soul", "role", "tools", "skill", "guardrails", "memory", "workflow")
MODELS: dict[str, type[BaseModel]] = {
    "manifest": models.Manifest,
    "skill": models.SkillFrontmatter,
    **models.LAYER_MODELS,
}
CASES = Path(__file__).resolve().parent.parent / "fixtures" / "schema_cases"
CONSTRAINTS = (
    "pattern",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
)
ITEM = "[]"  # a path step into the items of an array
Loc = tuple[str | int, ...]

# Every default ADR 0003 names, as "<kind>:<path>" -> value.
ADR_DEFAULTS: dict[str, Any] = {
    "tools:available[].kind": "builtin",
    "tools:available[].sandbox.network": "none",
    "tools:available[].sandbox.filesystem": "none",
    "tools:available[].risk_level": "medium",
    "tools:available[].requires_approval": False,
    "tools:available[].audit": False,
    "guardrails:input.max_length": 50000,
    "guardrails:output.max_length": 100000,
    "guardrails:behavioral.max_autonomous_steps": 10,
    "memory:short_term.enabled": True,
    "workflow:default_process": "sequential",
    "workflow:handoffs[].context_transfer": "summary",
}


def load_schema(kind: str) -> dict[str, Any]:
    schema_file = resources.files("vasini_packs") / "schemas" / models.SCHEMA_FILES[kind]
    loaded: dict[str, Any] = json.loads(schema_file.read_text(encoding="utf-8"))
    return loaded


SCHEMAS = {kind: load_schema(kind) for kind in KINDS}


def resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (`#/$defs/<name>`), keeping the referring node's keywords."""
    if "$ref" not in node:
        return node
    name = node["$ref"].removeprefix("#/$defs/")
    rest = {key: value for key, value in node.items() if key != "$ref"}
    return {**resolve(root["$defs"][name], root), **rest}


def subschemas(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in `node`, with a readable location."""
    if not isinstance(node, dict):
        return
    yield where, node
    for name, child in node.get("properties", {}).items():
        yield from subschemas(child, f"{where}.{name}".lstrip("."))
    for name, child in node.get("$defs", {}).items():
        yield from subschemas(child, f"$defs/{name}")
    yield from subschemas(node.get("items"), f"{where}[]")
    for keyword in ("if", "then", "else"):
        yield from subschemas(node.get(keyword), f"{where}/{keyword}")


def properties(node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema, as `sop[].steps[].tool`."""
    for where, schema in subschemas(node):
        for name, child in schema.get("properties", {}).items():
            yield f"{where}.{name}".lstrip("."), child


# --- fixtures -------------------------------------------------------------------------


def fixtures(validity: str) -> list[Any]:
    return [
        pytest.param(kind, path, id=f"{kind}/{path.stem}")
        for kind in KINDS
        for path in sorted((CASES / validity / kind).glob("*.yaml"))
    ]


def parse_path(text: str) -> Loc:
    """`available[0].sandbox.egress_allowlist[1]` -> ('available', 0, 'sandbox', ...)."""
    steps: list[str | int] = []
    for part in text.split("."):
        name, *indices = part.split("[")
        if name:
            steps.append(name)
        steps.extend(int(index.rstrip("]")) for index in indices)
    return tuple(steps)


def header(path: Path) -> tuple[str, Loc]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# invalid: "), f"{path.name}: first line must be `# invalid: <why>`"
    assert lines[1].startswith("# at: "), f"{path.name}: second line must be `# at: <path>`"
    return lines[0].removeprefix("# invalid: "), parse_path(lines[1].removeprefix("# at: "))


def model_errors(kind: str, data: Any) -> list[Loc]:
    try:
        MODELS[kind].model_validate(data)
    except ValidationError as exc:
        return [tuple(error["loc"]) for error in exc.errors()]
    return []


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_schema_model_and_enough_fixtures(kind: str) -> None:
    assert models.SCHEMA_FILES[kind] == f"{kind}.schema.json"
    valid = {path.stem for path in (CASES / "valid" / kind).glob("*.yaml")}
    invalid = list((CASES / "invalid" / kind).glob("*.yaml"))
    assert {"minimal", "full"} <= valid
    assert len(valid) >= 3
    assert len(invalid) >= 6


def test_mappings_name_every_kind_once() -> None:
    assert set(models.SCHEMA_FILES) == set(KINDS)
    assert set(models.LAYER_MODELS) == {"soul", "role", "tools", "guardrails", "memory", "workflow"}


@pytest.mark.parametrize(("kind", "path"), fixtures("valid"))
def test_valid_fixture_is_accepted_by_schema_and_model(kind: str, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema_errors = [
        error.message for error in Draft202012Validator(SCHEMAS[kind]).iter_errors(data)
    ]
    assert schema_errors == []
    assert model_errors(kind, data) == []


@pytest.mark.parametrize(("kind", "path"), fixtures("invalid"))
def test_invalid_fixture_is_rejected_by_schema_and_model_at_its_fault(
    kind: str, path: Path
) -> None:
    why, at = header(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    schema_errors = list(Draft202012Validator(SCHEMAS[kind]).iter_errors(data))
    assert schema_errors, f"schema accepted it, but: {why}"
    for error in schema_errors:
        found = tuple(error.absolute_path)
        # A missing or unknown key is reported on the mapping that holds it; a bad
        # reference form may be reported inside the reference.
        holder = at[:-1] if error.validator in ("required", "additionalProperties") else at
        assert found == holder or found[: len(at)] == at, (
            f"schema error elsewhere: {error.message} at {found}"
        )

    locations = model_errors(kind, data)
    assert locations, f"model accepted it, but: {why}"
    assert set(locations) == {at}, f"model errors at {locations}, expected {at}"


# --- the schemas themselves -----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    schema = SCHEMAS[kind]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://vasini.dev/schemas/packs/1.0/{kind}.schema.json"
    assert schema["title"]
    assert schema["description"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_description(kind: str) -> None:
    undescribed = [
        where for where, node in properties(SCHEMAS[kind]) if not node.get("description")
    ]
    assert undescribed == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_constrained_schema_says_how_to_fix_it(kind: str) -> None:
    # The validator shows the failing schema's own `x-fix`, so it sits next to the rule.
    unhinted = [
        where
        for where, node in subschemas(SCHEMAS[kind])
        if any(keyword in node for keyword in CONSTRAINTS) and not node.get("x-fix")
    ]
    assert unhinted == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_mapping_refuses_unknown_keys(kind: str) -> None:
    open_mappings = [
        where
        for where, node in subschemas(SCHEMAS[kind])
        if "properties" in node and node.get("additionalProperties") is not False
    ]
    assert open_mappings == []


@pytest.mark.parametrize("kind", KINDS)
def test_layer_files_require_schema_version(kind: str) -> None:
    schema = SCHEMAS[kind]
    assert schema["properties"]["schema_version"]["pattern"] == r"^\d+\.\d+$"
    assert ("schema_version" in schema["required"]) is (kind != "skill")


@pytest.mark.parametrize("kind", KINDS)
def test_examples_satisfy_their_own_schema(kind: str) -> None:
    bad = [
        (where, example)
        for where, node in subschemas(SCHEMAS[kind])
        for example in node.get("examples", [])
        if not Draft202012Validator(node).is_valid(example)
    ]
    assert bad == []


# --- the models mirror the schemas ----------------------------------------------------


def normalised(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A pydantic-generated property schema without `$ref` and the `| None` branch."""
    if "$ref" in node:
        node = {**defs[node["$ref"].removeprefix("#/$defs/")], **node}
        del node["$ref"]
    branches = [branch for branch in node.get("anyOf", []) if branch != {"type": "null"}]
    if len(branches) == 1:
        node = {**normalised(branches[0], defs), **node}
        del node["anyOf"]
    return node


def differences(
    ours: dict[str, Any],
    theirs: dict[str, Any],
    root: dict[str, Any],
    defs: dict[str, Any],
    where: str,
) -> Iterator[str]:
    """How the model's JSON Schema differs from ours in types, constraints and structure."""
    ours, theirs = resolve(ours, root), normalised(theirs, defs)
    for keyword in ("type", *CONSTRAINTS, "default"):
        mine, its = ours.get(keyword), theirs.get(keyword)
        if keyword == "type" and isinstance(mine, list):
            mine = next(name for name in mine if name != "null")  # null: see nullable test
        if keyword == "default" and its in (None, []):
            its = None  # the `= None` / `= ()` of an optional field is no default
        if mine != its:
            yield f"{where}: {keyword} {mine!r} (schema) != {its!r} (model)"
    if ours.get("additionalProperties", True) != theirs.get("additionalProperties", True):
        yield f"{where}: additionalProperties differ"
    mine_props, its_props = ours.get("properties", {}), theirs.get("properties", {})
    if set(mine_props) != set(its_props):
        yield f"{where}: properties {sorted(mine_props)} (schema) != {sorted(its_props)} (model)"
    if set(ours.get("required", [])) != set(theirs.get("required", [])):
        yield f"{where}: required {ours.get('required')} != {theirs.get('required')}"
    for name in set(mine_props) & set(its_props):
        yield from differences(mine_props[name], its_props[name], root, defs, f"{where}.{name}")
    if "items" in ours or "items" in theirs:
        yield from differences(
            ours.get("items", {}), theirs.get("items", {}), root, defs, f"{where}[]"
        )


@pytest.mark.parametrize("kind", KINDS)
def test_model_has_the_schemas_fields_types_constraints_and_defaults(kind: str) -> None:
    generated = MODELS[kind].model_json_schema()
    schema = SCHEMAS[kind]
    assert list(differences(schema, generated, schema, generated.get("$defs", {}), kind)) == []


def test_only_the_schemas_nullable_field_accepts_null() -> None:
    nullable = [
        f"{kind}:{where}"
        for kind in KINDS
        for where, node in properties(SCHEMAS[kind])
        if "null" in (node.get("type") or [])
    ]
    assert nullable == ["workflow:sop[].steps[].tool"]
    assert models.SopStep.nullable_fields == {"tool"}
    step = {"id": "read", "action": "Read"}
    assert models.SopStep.model_validate({**step, "tool": None}).tool is None
    assert model_errors(
        "workflow",
        {
            "schema_version": "1.0",
            "sop": [{"id": "s", "name": "S", "trigger": "t", "steps": [{**step, "timeout": None}]}],
        },
    ) == [("sop", 0, "steps", 0, "timeout")]


# --- defaults -------------------------------------------------------------------------


def schema_defaults(
    node: dict[str, Any], root: dict[str, Any]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, default) for every property with a `default`; ITEM steps into arrays."""
    node = resolve(node, root)
    for name, child in node.get("properties", {}).items():
        if "default" in child:
            yield (name,), child["default"]
        yield from (((name, *path), default) for path, default in schema_defaults(child, root))
    if "items" in node:
        yield from (
            ((ITEM, *path), default) for path, default in schema_defaults(node["items"], root)
        )


def render(path: tuple[str, ...]) -> str:
    return ".".join(path).replace(f".{ITEM}", ITEM)


DEFAULTS = {
    f"{kind}:{render(path)}": (kind, path, default)
    for kind in KINDS
    for path, default in schema_defaults(SCHEMAS[kind], SCHEMAS[kind])
}


def minimal(node: dict[str, Any], root: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: required fields only, from `examples`."""
    node = resolve(node, root)
    if "examples" in node:
        return copy.deepcopy(node["examples"][0])
    if "enum" in node:
        return node["enum"][0]
    kind = str(node.get("type"))
    if kind == "object":
        return {name: minimal(node["properties"][name], root) for name in node.get("required", [])}
    if kind == "array":
        return [minimal(node["items"], root) for _ in range(node.get("minItems", 0))]
    assert "pattern" not in node, "give a patterned property `examples`"
    samples: dict[str, Any] = {"string": "x" * node.get("minLength", 1), "boolean": False}
    return samples.get(kind, node.get("minimum", 1))


def containing(node: dict[str, Any], root: dict[str, Any], path: tuple[str, ...]) -> Any:
    """A minimal value with every container on `path` present and its last field left out."""
    node = resolve(node, root)
    if path[0] == ITEM:
        return [containing(node["items"], root, path[1:])]
    value = minimal(node, root)
    name, rest = path[0], path[1:]
    if rest:
        value[name] = containing(node["properties"][name], root, rest)
    else:
        assert name not in value, "a required field has no use for a default"
    return value


def test_schemas_encode_exactly_the_adr_defaults() -> None:
    assert {key: default for key, (_, _, default) in DEFAULTS.items()} == ADR_DEFAULTS


@pytest.mark.parametrize("kind", KINDS)
def test_minimal_document_is_valid_for_schema_and_model(kind: str) -> None:
    data = minimal(SCHEMAS[kind], SCHEMAS[kind])
    assert Draft202012Validator(SCHEMAS[kind]).is_valid(data)
    assert model_errors(kind, data) == []


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_model_fills_in_the_schema_default(key: str) -> None:
    kind, path, default = DEFAULTS[key]
    data = containing(SCHEMAS[kind], SCHEMAS[kind], path)
    assert Draft202012Validator(SCHEMAS[kind]).is_valid(data)
    value: Any = MODELS[kind].model_validate(data).model_dump()
    for step in path:
        value = value[0] if step == ITEM else value[step]
    assert value == default
    assert type(value) is type(default)


def test_guardrails_without_sections_get_the_defaults() -> None:
    guardrails = models.Guardrails.model_validate({"schema_version": "1.0"})
    assert guardrails.input.max_length == 50000
    assert guardrails.output.max_length == 100000
    assert guardrails.behavioral.max_autonomous_steps == 10


# --- where JSON and Python differ -----------------------------------------------------


def test_a_whole_float_counts_as_an_integer_in_both() -> None:
    # JSON Schema has one number type, so 100.0 is an integer to it; the model agrees
    # and stores 100, while 2.5 (see the *-float fixtures) is refused by both.
    data = {"schema_version": "1.0", "short_term": {"max_entries": 100.0}}
    assert Draft202012Validator(SCHEMAS["memory"]).is_valid(data)
    memory = models.Memory.model_validate(data)
    assert memory.short_term is not None
    assert memory.short_term.max_entries == 100
    assert type(memory.short_term.max_entries) is int


@pytest.mark.parametrize("value", ["1.0", "1.0\n", "\u0661.\u0660", "1.0\nx", " 1.0"])
def test_patterns_follow_the_same_regex_rules(value: str) -> None:
    # Both sides use Python's `re` (`$` before a final newline, `\d` for any digit).
    data = {"id": "x", "name": "x", "trigger": "x", "schema_version": value}
    accepted_by_schema = Draft202012Validator(SCHEMAS["skill"]).is_valid(data)
    assert accepted_by_schema is (model_errors("skill", data) == [])


def test_models_are_frozen_and_hold_tuples() -> None:
    soul = models.Soul.model_validate(
        {
            "schema_version": "1.0",
            "identity": {"name": "Architect", "language": "en", "languages": ["ru"]},
            "personality": {},
            "principles": ["a", "b", "c"],
        }
    )
    assert soul.principles == ("a", "b", "c")
    assert soul.identity.languages == ("ru",)
    with pytest.raises(ValidationError):
        soul.identity.name = "Other"  # type: ignore[misc]
