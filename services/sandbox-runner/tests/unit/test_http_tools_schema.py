"""`http_fetch` arguments: what its JSON Schema accepts and refuses."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from vasini_sandbox_runner.domain.http_tools import HTTP_FETCH_SCHEMA

_VALIDATOR = Draft202012Validator(HTTP_FETCH_SCHEMA)


def test_the_http_fetch_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(HTTP_FETCH_SCHEMA)


@pytest.mark.parametrize(
    "arguments",
    [
        {"method": "GET", "url": "https://api.example.com/"},
        {"method": "HEAD", "url": "https://api.example.com/"},
        {
            "method": "POST",
            "url": "https://api.example.com/items",
            "headers": {"Content-Type": "application/json", "X-Api-Key": "k"},
            "body": '{"a": 1}',
        },
    ],
)
def test_http_fetch_accepts_well_formed_calls(arguments: dict[str, Any]) -> None:
    assert list(_VALIDATOR.iter_errors(arguments)) == []


@pytest.mark.parametrize(
    "arguments",
    [
        {"url": "https://api.example.com/"},
        {"method": "CONNECT", "url": "https://api.example.com/"},
        {"method": "get", "url": "https://api.example.com/"},
        {"method": "GET", "url": ""},
        {"method": "GET", "url": "https://api.example.com/", "proxy": "http://x"},
        {"method": "GET", "url": "https://a.example/", "headers": {"X-A": "1\r\nHost: b"}},
        {"method": "GET", "url": "https://a.example/", "headers": {"Bad Name": "1"}},
        {"method": "GET", "url": "https://a.example/", "headers": {"X-A": "café"}},
        {"method": "GET", "url": "https://a.example/", "headers": {"X-A": 1}},
        {"method": "POST", "url": "https://a.example/", "body": {"not": "a string"}},
    ],
)
def test_http_fetch_refuses_malformed_calls(arguments: dict[str, Any]) -> None:
    assert list(_VALIDATOR.iter_errors(arguments)) != []
