"""PII detection: what it finds, and numbers it must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vasini_guard.checksums import iban_valid, luhn_valid
from vasini_guard.pii import PiiDetector

PII = PiiDetector()


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("mail me at jane.doe+work@example.co.uk please", "jane.doe+work@example.co.uk", "email"),
        ("call +44 20 7946 0958 tomorrow", "+44 20 7946 0958", "phone"),
        ("or +14155552671.", "+14155552671", "phone"),
        ("card 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111", "payment card"),
        ("card 5500-0000-0000-0004", "5500-0000-0000-0004", "payment card"),
        ("IBAN GB82 WEST 1234 5698 7654 32 thanks", "GB82 WEST 1234 5698 7654 32", "iban"),
        ("pay to DE89370400440532013000", "DE89370400440532013000", "iban"),
    ],
)
def test_personal_data_is_found_with_its_exact_span(text: str, value: str, label: str) -> None:
    spans = {(text[d.start : d.end], d.detail) for d in PII.detect(text)}

    assert (value, label) in spans


@pytest.mark.parametrize(
    "text",
    [
        "order 1234 5678 9012 3456 shipped",  # 16 digits failing the Luhn check
        "card 4111 1111 1111 1112",  # one digit off a valid test card
        "version 2026.11.25 of the build",
        "released 2026-11-25, build 4512",
        "the answer is 42 and the year is 2026",
        "it costs $1,234,567.89 per year",
        "IBAN GB00 WEST 1234 5698 7654 32",  # wrong checksum
        "score went +1 10 20 points",  # a plus sign, too few digits for a phone
        "id 12345678901234567890123456",  # a long number is not a card
        "user@localhost is not an address",
    ],
)
def test_ordinary_numbers_and_text_are_not_personal_data(text: str) -> None:
    assert PII.detect(text) == []


def test_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert not iban_valid("GB82")


def _with_luhn_digit(body: str) -> str:
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")


_WORDS = st.text(alphabet="abcdefgh ,.\n", max_size=40)


@given(_WORDS, st.text(alphabet="0123456789", min_size=15, max_size=15), _WORDS)
def test_any_luhn_valid_card_is_found_and_a_wrong_check_digit_is_not(
    before: str, body: str, after: str
) -> None:
    card = _with_luhn_digit("4" + body[1:])
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    start = len(before) + 1

    found = PII.detect(f"{before} {card} {after}")
    missed = PII.detect(f"{before} {wrong} {after}")

    assert any(d.start == start and d.end == start + 16 for d in found)
    assert [d for d in missed if d.detail == "payment card"] == []


@given(st.text(max_size=400))
def test_never_raises_and_spans_stay_in_the_text(text: str) -> None:
    for found in PII.detect(text):
        assert 0 <= found.start < found.end <= len(text)
        assert found.kind == "pii"
