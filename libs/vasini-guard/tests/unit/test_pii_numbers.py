"""Payment cards, IBANs and US social security numbers: validated, with exact spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vasini_guard.cards import card_number_valid
from vasini_guard.checksums import IBAN_LENGTHS, iban_valid, luhn_valid
from vasini_guard.pii import PiiDetector

PII = PiiDetector()


def found(text: str, label: str) -> list[str]:
    return [text[d.start : d.end] for d in PII.detect(text) if d.detail == label]


def with_check_digit(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "card",
    [
        "4111111111111111",  # Visa 16
        "4222222222222",  # Visa 13
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "5555 5555 5555 4444",  # Mastercard
        "2223 0031 2200 3222",  # Mastercard 2-series
        "3782 822463 10005",  # American Express, 4-6-5
        "371449635398431",
        "6011 1111 1111 1117",  # Discover
        "3056 9309 0259 04",  # Diners Club, 14 digits
        "3530 1113 3330 0000",  # JCB
        "6200 0000 0000 0005",  # UnionPay
        with_check_digit("67596498264"),  # Maestro, 12 digits
        with_check_digit("621234567890123456"),  # UnionPay, 19 digits
    ],
)
def test_cards_of_every_network_are_found_whole(card: str) -> None:
    assert found(f"pay with {card}, thanks", "payment card") == [card]


@pytest.mark.parametrize(
    "number",
    [
        "4111 1111 1111 1112",  # Luhn fails
        "1234 5678 9012 3452",  # Luhn passes, but no network issues from 1
        with_check_digit("999999999999999"),  # Luhn passes, no network starts with 99
        wrong_check_digit(with_check_digit("411111111111111111")),  # Visa 19, Luhn fails
        "3782 822463 1000",  # Amex is 15 digits, not 14
        "4111 1111 1111 11111 1111",  # 21 digits, the card inside does not start it
        "9400 4111 1111 1111 1111",  # a valid card inside a longer number (tracking)
        "4111.1111.1111.1111",  # dots: a version or an amount, not a card
        "x4111111111111111",  # glued to a letter
    ],
)
def test_card_like_numbers_that_fail_validation_are_not_cards(number: str) -> None:
    assert found(f"ref {number} ok", "payment card") == []


@pytest.mark.parametrize(
    "text", ["card 4111 1111 1111 1111 2029 thanks", "card 4111 1111 1111 1111 12 29 thanks"]
)
def test_a_card_followed_by_more_digits_is_cut_to_the_card(text: str) -> None:
    assert found(text, "payment card") == ["4111 1111 1111 1111"]


def test_card_ranges_and_lengths() -> None:
    assert card_number_valid("4111111111111111")
    assert not card_number_valid("41111111111111")  # Visa has no 14-digit cards
    assert not card_number_valid("5611111111111111")  # 56 is no Mastercard range
    assert card_number_valid(with_check_digit("222100000000000"))  # the 2-series' first
    assert card_number_valid(with_check_digit("272099999999999"))  # ... and last
    assert not card_number_valid(with_check_digit("272100000000000"))
    assert not luhn_valid("")
    assert not luhn_valid("4111x111")


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "GB82 WEST 1234 5698 7654 32",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91 ABNA 0417 1643 00",
        "BE68 5390 0754 7034",
        "NO9386011117947",
        "CH93 0076 2011 6238 5295 7",
    ],
)
def test_ibans_are_found_whole(iban: str) -> None:
    assert found(f"wire it to {iban}.", "iban") == [iban]


@pytest.mark.parametrize(
    "text",
    [
        "IBAN DE89 3704 0044 0532 0130 01",  # mod-97 fails
        "IBAN DE89 3704 0044 0532 0130 0",  # one character short for Germany
        "IBAN XX89 3704 0044 0532 0130 00",  # no such country
        "IBAN DE8937040044053201300099",  # longer than a German IBAN
        "iban de89370400440532013000",  # lower case is not recognised
    ],
)
def test_ibans_failing_their_checks_are_not_found(text: str) -> None:
    assert found(text, "iban") == []


def test_an_iban_ends_where_its_country_says_even_when_a_group_follows() -> None:
    assert found("IBAN BE68 5390 0754 7034 2026 paid", "iban") == ["BE68 5390 0754 7034"]


def test_digits_of_a_mistyped_iban_are_not_taken_for_phones_or_cards() -> None:
    text = "IBAN NL57 SHEZ 7402 7865 01 bounced, and AT68 5513 2109 4522 7902 too"

    assert PII.detect(text) == []


def test_iban_check() -> None:
    assert iban_valid("gb82 west 1234 5698 7654 32")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert not iban_valid("GB82")
    assert not iban_valid("GBXX WEST 1234 5698 7654 32")
    assert (IBAN_LENGTHS["DE"], IBAN_LENGTHS["FR"], IBAN_LENGTHS["NO"]) == (22, 27, 15)


@pytest.mark.parametrize(
    ("text", "ssn"),
    [
        ("SSN 536-22-1234 on file", "536-22-1234"),
        ("it is 536 22 1234.", "536 22 1234"),
        ("SSN: 536221234", "536221234"),
        ("Social Security Number 001-01-0001", "001-01-0001"),
        ("my social security no. 899991234", "899991234"),
    ],
)
def test_social_security_numbers_are_found(text: str, ssn: str) -> None:
    assert found(text, "ssn") == [ssn]


@pytest.mark.parametrize(
    "ssn",
    [
        "000-12-3456",  # area 000
        "666-12-3456",  # area 666
        "900-12-3456",  # areas 900-999
        "987-65-4321",
        "536-00-1234",  # group 00
        "536-22-0000",  # serial 0000
        "078-05-1120",  # printed in a wallet advert, never issued
        "219-09-9999",
        "123-45-6789",  # the placeholder everyone types
        "111-11-1111",
        "536-22 1234",  # mixed separators
    ],
)
def test_numbers_the_ssa_never_issues_are_not_ssns(ssn: str) -> None:
    assert found(f"SSN {ssn}", "ssn") == []


def test_nine_digits_are_an_ssn_only_where_the_text_says_so() -> None:
    assert found("order 536221234 shipped", "ssn") == []
    assert found("random id 482019384", "ssn") == []


@given(
    st.text(alphabet="0123456789 -./+()", max_size=60),
    st.text(alphabet="0123456789 -", min_size=12, max_size=30),
)
def test_runs_of_digits_never_break_detection(prefix: str, digits: str) -> None:
    text = prefix + digits
    for detection in PII.detect(text):
        assert 0 <= detection.start < detection.end <= len(text)
