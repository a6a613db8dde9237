from __future__ import annotations

import pytest

from vasini_packs.builtin_tools import BUILTIN_TOOL_SCHEMAS, argument_errors
from vasini_runtime_worker.adapters.llm.schema_example import example_for


@pytest.mark.parametrize("tool_id", sorted(BUILTIN_TOOL_SCHEMAS))
def test_scripted_arguments_for_every_builtin_tool_are_valid(tool_id: str) -> None:
    schema = BUILTIN_TOOL_SCHEMAS[tool_id]

    assert argument_errors(tool_id, schema, example_for(schema)) is None


def test_an_object_with_conditions_keeps_its_properties() -> None:
    schema = {
        "type": "object",
        "properties": {"op": {"enum": ["write", "read"]}, "content": {"type": "string"}},
        "required": ["op"],
        "allOf": [{"if": {"properties": {"op": {"const": "write"}}}, "then": {"required": []}}],
    }

    assert example_for(schema) == {"op": "write"}
