"""API keys and request fingerprints (no I/O)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from vasini_ingress.domain.keys import issue_key, parse_token, secret_matches
from vasini_ingress.domain.runs import RunCreate


def test_issued_key_verifies_and_only_its_hash_is_kept() -> None:
    key = issue_key()
    key_id, secret = parse_token(key.token) or ("", "")

    assert key_id == key.key_id
    assert secret not in key.secret_hash
    assert secret_matches(secret, key.secret_hash)
    assert not secret_matches(secret + "x", key.secret_hash)
    assert issue_key().token != key.token


@pytest.mark.parametrize("token", ["", "vsk", "vsk__x", "vsk_id_", "abc_id_secret", "Bearer x"])
def test_malformed_tokens_are_rejected(token: str) -> None:
    assert parse_token(token) is None


def test_fingerprint_ignores_key_order_but_not_content() -> None:
    a = RunCreate(pack="p", input="x", metadata={"a": 1, "b": 2})
    b = RunCreate(pack="p", input="x", metadata={"b": 2, "a": 1})
    c = RunCreate(pack="p", input="y", metadata={"a": 1, "b": 2})

    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


@pytest.mark.parametrize(
    "pack", ["senior-python-dev", "senior-python-dev@1.0.0", "senior-python-dev:prod"]
)
def test_pack_reference_forms_are_accepted(pack: str) -> None:
    assert RunCreate(pack=pack, input="x").pack == pack


@pytest.mark.parametrize("pack", ["", "Senior", "a b", "x@", "../etc"])
def test_bad_pack_references_are_refused(pack: str) -> None:
    with pytest.raises(ValidationError):
        RunCreate(pack=pack, input="x")


@pytest.mark.parametrize(
    "body",
    [
        {"pack": "p", "input": "a\x00b"},
        {"pack": "p", "input": "lone \ud800 surrogate"},
        {"pack": "p", "input": "x", "session_id": "s\x00"},
        {"pack": "p", "input": "x", "metadata": {"k\x00": 1}},
        {"pack": "p", "input": "x", "metadata": {"k": ["ok", {"deep": "\udfff"}]}},
    ],
)
def test_text_postgres_cannot_store_is_refused(body: dict[str, object]) -> None:
    # Found by the OpenAPI fuzz test: these reached the database and failed there (500).
    with pytest.raises(ValidationError):
        RunCreate.model_validate(body)
