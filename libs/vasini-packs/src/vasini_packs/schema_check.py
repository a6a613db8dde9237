"""Checking a document against the pack JSON Schemas, in words an author understands.

The schemas in `schemas/packs/` are the source of truth. Each JSON Schema error becomes
a `Problem` at the line the value (or the misspelt key) was written on, with the fix
taken from the schema's own `x-fix` hint when it has one, and "did you mean" help for
unknown keys and enum values.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from vasini_packs.errors import Problem
from vasini_packs.located import JsonPath, Located

SCHEMA_KINDS = ("manifest", "soul", "role", "tools", "guardrails", "memory", "workflow", "skill")
_JSON_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping of fields",
    "array": "a list",
    "null": "null",
}


@cache
def schema(kind: str) -> Mapping[str, Any]:
    """The JSON Schema for `kind` (one of `SCHEMA_KINDS`)."""
    text = (resources.files("vasini_packs") / "schemas" / f"{kind}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema(kind))


def schema_problems(kind: str, document: Located, subject: str) -> list[Problem]:
    """Every way `document` breaks the `kind` schema; `subject` prefixes JSON paths."""
    problems: list[Problem] = []
    seen: set[Problem] = set()
    for error in sorted(_validator(kind).iter_errors(document.data), key=_error_order):
        for problem in _explain(error, document, subject):
            if problem not in seen:
                seen.add(problem)
                problems.append(problem)
    return problems


def render_path(subject: str, path: Sequence[str | int]) -> str:
    """`soul` + (`personality`, `verbosity`) -> `soul.personality.verbosity`."""
    text = subject
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _error_order(error: ValidationError) -> tuple[str, str]:
    return (json.dumps(list(error.absolute_path)), str(error.validator))


def _explain(error: ValidationError, document: Located, subject: str) -> Iterator[Problem]:
    path: JsonPath = tuple(error.absolute_path)
    keyword = str(error.validator)
    # The stubs allow "unset" for these; an error coming out of iter_errors has them all.
    instance: Any = error.instance
    expected: Any = error.validator_value
    failing: Any = error.schema
    hint = _hint(error)

    def problem(
        code: str, at: JsonPath, message: str, fix: str, *, at_key: bool = False
    ) -> Problem:
        origin = document.key_origin(at) if at_key else document.origin(at)
        return Problem(code, message, fix, origin, path=render_path(subject, at))

    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(failing.get("properties", {}))
        for key in sorted(set(instance) - set(allowed)):
            guess = difflib.get_close_matches(key, allowed, n=1)
            fix = (
                f"did you mean `{guess[0]}`?"
                if guess
                else f"remove it; allowed: {', '.join(allowed)}"
            )
            yield problem(
                "unknown-field",
                (*path, key),
                f"unknown field `{key}`",
                fix,
                at_key=True,
            )
        return
    if keyword == "required" and isinstance(instance, dict):
        # One error per missing field, each carrying the whole list; duplicates are
        # dropped by the caller.
        missing = [name for name in expected if name not in instance]
        for name in missing:
            yield problem(
                "field-missing",
                path,
                f"required field `{name}` is missing",
                f"add `{name}`",
            )
        return
    if keyword == "enum":
        options = [str(option) for option in expected]
        guess = difflib.get_close_matches(str(instance), options, n=1)
        fix = hint or f"use one of: {', '.join(options)}"
        if guess:
            fix += f" (did you mean `{guess[0]}`?)"
        yield problem(
            "value-not-allowed",
            path,
            f"`{instance}` is not one of {', '.join(options)}",
            fix,
        )
        return
    if keyword == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_JSON_TYPES.get(name, name) for name in names)
        yield problem(
            "wrong-type",
            path,
            f"expected {wanted}, found {_describe(instance)}",
            hint or f"write {wanted}",
        )
        return
    yield problem(
        f"schema-{keyword.lower()}",
        path,
        _plain_message(error),
        hint or _default_fix(error),
    )


def _hint(error: ValidationError) -> str | None:
    """The failing schema's own `x-fix` (the author's wording beats a generic one)."""
    failing: Any = error.schema
    hint = failing.get("x-fix") if isinstance(failing, dict) else None
    return str(hint) if hint is not None else None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict | list):
        return _JSON_TYPES["object" if isinstance(value, dict) else "array"]
    return f"`{value}` ({_JSON_TYPES['string' if isinstance(value, str) else 'number']})"


def _plain_message(error: ValidationError) -> str:
    value: Any = error.instance
    limit: Any = error.validator_value
    messages = {
        "pattern": f"`{value}` does not have the expected form",
        "minimum": f"{value} is below the minimum {limit}",
        "maximum": f"{value} is above the maximum {limit}",
        "exclusiveMinimum": f"{value} must be greater than {limit}",
        "exclusiveMaximum": f"{value} must be less than {limit}",
        "minItems": f"has {len(value) if isinstance(value, list) else '?'} items; "
        f"at least {limit} needed",
        "maxItems": f"has {len(value) if isinstance(value, list) else '?'} items; "
        f"at most {limit} allowed",
        "minLength": "must not be empty" if limit == 1 else f"needs at least {limit} characters",
        "uniqueItems": "lists the same item twice",
    }
    return messages.get(str(error.validator), error.message)


def _default_fix(error: ValidationError) -> str:
    keyword = str(error.validator)
    if keyword == "pattern":
        return f"write a value matching {error.validator_value}"
    if keyword == "uniqueItems":
        return "remove the repeated item"
    return "correct the value"
