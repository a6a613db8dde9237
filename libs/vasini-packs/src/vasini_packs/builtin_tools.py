"""The built-in tools' argument schemas, and checking arguments against a tool's schema.

A pack may declare a built-in tool without `parameters` (PACK-FORMAT: "builtin tools
supply their own"), so the schemas live here, where every service that needs them
reads them: the runtime shows them to the model and checks the model's arguments
before anything is requested; the sandbox checks them again before anything runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from vasini_packs.models import Tool

MAX_WRITE_BYTES = 1024 * 1024  # of one file_manager `write`
_PATH = {"type": "string", "minLength": 1, "maxLength": 1024}

BUILTIN_TOOL_SCHEMAS: dict[str, dict[str, Any]] = {
    "echo": {
        "type": "object",
        "properties": {"text": {"type": "string", "maxLength": 100_000}},
        "required": ["text"],
        "additionalProperties": False,
    },
    "code_executor": {
        "type": "object",
        "properties": {
            "language": {"enum": ["python", "bash"]},
            "code": {"type": "string", "minLength": 1, "maxLength": 200_000},
            "timeout": {"type": "integer", "minimum": 1, "maximum": 3600},
        },
        "required": ["language", "code"],
        "additionalProperties": False,
    },
    "file_manager": {
        "type": "object",
        "properties": {
            "op": {"enum": ["read", "write", "list", "search", "delete"]},
            "path": {
                **_PATH,
                "description": "Relative to the workspace root (`.` is the root; "
                "`/workspace/x` means `x`). For list and search: the folder to walk.",
            },
            "content": {"type": "string", "maxLength": MAX_WRITE_BYTES, "description": "write"},
            "pattern": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1000,
                "description": "search: literal text to find in file contents",
            },
        },
        "required": ["op", "path"],
        "allOf": [
            {"if": {"properties": {"op": {"const": "write"}}}, "then": {"required": ["content"]}},
            {"if": {"properties": {"op": {"const": "search"}}}, "then": {"required": ["pattern"]}},
        ],
        "additionalProperties": False,
    },
    "git": {
        "type": "object",
        "properties": {
            "op": {"enum": ["init", "status", "diff", "log", "add", "commit"]},
            "paths": {
                "type": "array",
                "items": _PATH,
                "maxItems": 100,
                "description": "Only these workspace paths (add without paths: every change)",
            },
            "message": {"type": "string", "minLength": 1, "maxLength": 10_000},
            "staged": {"type": "boolean", "description": "diff: the staged changes"},
            "max_count": {"type": "integer", "minimum": 1, "maximum": 200},
        },
        "required": ["op"],
        "allOf": [
            {"if": {"properties": {"op": {"const": "commit"}}}, "then": {"required": ["message"]}},
        ],
        "additionalProperties": False,
    },
    "http_fetch": {
        "type": "object",
        "properties": {
            "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]},
            "url": {"type": "string", "minLength": 1, "maxLength": 8192},
            "headers": {
                "type": "object",
                # RFC 9110 field names; printable ASCII values (no CR/LF: no header injection).
                "propertyNames": {"pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"},
                "additionalProperties": {"type": "string", "pattern": "^[\\t\\x20-\\x7e]*$"},
                "maxProperties": 64,
            },
            "body": {"type": "string", "maxLength": 1_000_000},
        },
        "required": ["method", "url"],
        "additionalProperties": False,
    },
}
ANY_OBJECT: dict[str, Any] = {"type": "object"}


def tool_parameters(tool: Tool) -> dict[str, Any]:
    """The schema of `tool`'s arguments. A built-in's own schema wins over what a pack
    declares for it: the sandbox runs the built-in with its arguments, so showing the
    model another shape would only make every call fail. Otherwise the pack's schema,
    else any object."""
    if tool.kind == "builtin" and tool.id in BUILTIN_TOOL_SCHEMAS:
        return BUILTIN_TOOL_SCHEMAS[tool.id]
    return tool.parameters or ANY_OBJECT


def argument_errors(tool_id: str, schema: Mapping[str, Any], arguments: object) -> str | None:
    """None when `arguments` are valid, else one message naming every bad field (for
    the model, which should correct the call)."""
    validator = _validator(_frozen(schema))
    errors = sorted(validator.iter_errors(arguments), key=lambda e: list(map(str, e.path)))
    if not errors:
        return None
    details = "; ".join(f"{'/'.join(map(str, e.path)) or 'arguments'}: {e.message}" for e in errors)
    return f"invalid arguments for `{tool_id}`: {details}"


def _frozen(schema: Mapping[str, Any]) -> str:
    # A canonical text of the schema, so compiled validators can be cached by value.
    return json.dumps(schema, sort_keys=True)


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json))
