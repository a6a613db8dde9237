"""A plausible value that satisfies a JSON Schema, for the scripted model's tool calls.

Covers what tool schemas use: a schema's own `default`, `examples`, `const` or first
`enum` value win; objects get their required properties; strings "example" (or a
value of the declared format); numbers 1 moved into their bounds; booleans true;
arrays their minimum number of items (at least one); `anyOf`/`oneOf` the first choice.
`pattern` is not honoured.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

_FORMATS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def _object(schema: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    return {name: example_for(properties.get(name, {})) for name in schema.get("required", [])}


def _array(schema: dict[str, Any]) -> list[Any]:
    count = max(schema.get("minItems", 1), 1)
    count = min(count, schema.get("maxItems", count))
    return [example_for(schema.get("items", {})) for _ in range(count)]


def _kind(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if isinstance(declared, list):
        # A nullable type lists "null" too: prefer the real one.
        declared = next((t for t in declared if t != "null"), "null")
    if isinstance(declared, str):
        return declared
    return "object" if "properties" in schema else "string"


def _number(schema: dict[str, Any]) -> int | float:
    value: float = 1
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema:
        value = max(value, schema["exclusiveMinimum"] + 1)
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    if "exclusiveMaximum" in schema:
        value = min(value, schema["exclusiveMaximum"] - 1)
    if schema.get("type") == "integer":
        return math.ceil(value)
    return value


def _string(schema: dict[str, Any]) -> str:
    value = _FORMATS.get(schema.get("format", ""), "example")
    value = value.ljust(schema.get("minLength", 0), "x")
    if "maxLength" in schema:
        value = value[: schema["maxLength"]]
    return value


def _true(_: dict[str, Any]) -> bool:
    return True


def _null(_: dict[str, Any]) -> None:
    return None


_BY_KIND: dict[str, Callable[[dict[str, Any]], Any]] = {
    "object": _object,
    "array": _array,
    "integer": _number,
    "number": _number,
    "boolean": _true,
    "null": _null,
}


def example_for(schema: dict[str, Any]) -> Any:
    for key in ("default", "const"):
        if key in schema:
            return schema[key]
    for key in ("examples", "enum"):
        if schema.get(key):
            return schema[key][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return example_for(schema[key][0])
    if schema.get("allOf"):
        # The schema's own keywords stay (an object's properties next to its allOf of
        # conditions); the parts add to them.
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            merged.update(part)
        return example_for(merged)
    make: Callable[[dict[str, Any]], Any] = _BY_KIND.get(_kind(schema), _string)
    return make(schema)
