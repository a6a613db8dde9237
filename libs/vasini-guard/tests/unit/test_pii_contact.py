"""E-mail addresses, phone numbers and IP addresses: found whole, look-alikes left."""

from __future__ import annotations

import pytest

from vasini_guard.pii import PiiDetector

PII = PiiDetector()


def found(text: str) -> list[tuple[str, str]]:
    return [(text[d.start : d.end], d.detail) for d in PII.detect(text)]


@pytest.mark.parametrize(
    "address",
    [
        "jane.doe+work@example.co.uk",
        "J.Smith@Example.COM",
        "ops_team-1@mail.my-company.io",
        "user%tag@sub.domain.example.org",
        "zoë@example.de",
    ],
)
def test_email_addresses_are_found_whole(address: str) -> None:
    assert found(f"write to <{address}>, or mailto:{address}.") == [
        (address, "email"),
        (address, "email"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "user@localhost is not an address",
        "the decorator @property and @dataclass",
        "a@b",
        "email me at jane(at)example.com",
        "git@github",
    ],
)
def test_things_with_an_at_sign_are_not_addresses(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("number", "where"),
    [
        ("(415) 555-2671", "US national"),
        ("415-555-2671", "US with dashes"),
        ("415.555.2671", "US with dots"),
        ("+1 415 555 2671", "US international"),
        ("1-415-555-2671", "US with the trunk 1"),
        ("+14155552671", "E.164"),
        ("020 7946 0958", "GB national"),
        ("+44 20 7946 0958", "GB international"),
        ("+44 (0)20 7946 0958", "GB with the trunk 0 in brackets"),
        ("030 12345678", "DE national"),
        ("030/12345678", "DE with a slash"),
        ("+49 151 23456789", "DE mobile"),
        ("0049 30 12345678", "DE with the 00 prefix"),
        ("01 23 45 67 89", "FR national"),
        ("01.23.45.67.89", "FR with dots"),
        ("+33 6 12 34 56 78", "FR mobile"),
    ],
)
def test_phone_numbers_of_us_gb_de_fr_are_found_whole(number: str, where: str) -> None:
    assert found(f"Call me at {number} tomorrow.") == [(number, "phone")], where


@pytest.mark.parametrize(
    "text",
    [
        "Order No. 4155552671 shipped",  # an identifier, by its label
        "your order number is 4155552671",
        "tracking number 9400 1000 0000 0000 0000 00",
        "ISBN 0-306-40615-2",
        "released on 2026-11-25 at 10:30",
        "see you on 05.07.2026",
        "due 11/25/2026",
        "random id 482019384",  # nine digits: too short for a US number, no trunk 0
        "+1 123 456 7890",  # no US area code starts with 1
        "version 3.12.4 and build 10.0.19045.3693",
        "score went +1 10 20 points",
        "it costs $1,234,567.89",
        "612345678",  # a French mobile without its trunk 0 is not how France writes it
    ],
)
def test_numbers_that_are_not_phone_numbers_are_left_alone(text: str) -> None:
    assert [value for value, label in found(text) if label == "phone"] == []


def test_phone_regions_can_be_chosen() -> None:
    us_only = PiiDetector(phone_regions=("US",))
    text = "Call 030 12345678 or (415) 555-2671 or +49 30 12345678"

    spans = [text[d.start : d.end] for d in us_only.detect(text)]

    assert spans == ["(415) 555-2671", "+49 30 12345678"]  # international: any country


@pytest.mark.parametrize(
    "address",
    [
        "192.168.1.20",
        "8.8.8.8",
        "203.0.113.7",
        "2001:db8::1",
        "fe80::1ff:fe23:4567:890a",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "::ffff:192.0.2.128",
    ],
)
def test_ip_addresses_are_found_whole(address: str) -> None:
    assert found(f"request from {address} at noon") == [(address, "ip address")]


def test_an_address_with_a_port_or_in_brackets_is_found_without_them() -> None:
    assert found("GET http://10.0.0.5:8080/health and [2001:db8::2]:443") == [
        ("10.0.0.5", "ip address"),
        ("2001:db8::2", "ip address"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "listen on 0.0.0.0 and 127.0.0.1, or :: and ::1",  # identify no one
        "256.1.1.1 and 1.2.3",
        "01.02.03.04",  # leading zeros: not an address
        "version 1.2.3.4",
        "firmware v2.0.0.1",
        "1.2.3.4.5",
        "std::vector<int> and crate::dead::beef",
        "at 12:30:45",
        "mac 00:1a:2b:3c:4d:5e",
    ],
)
def test_look_alikes_of_ip_addresses_are_left_alone(text: str) -> None:
    assert found(text) == []


def test_findings_of_several_kinds_come_in_text_order_without_overlaps() -> None:
    text = "jane@example.com, +44 20 7946 0958, 4111 1111 1111 1111, 536-22-1234, 8.8.4.4"

    labels = [label for _, label in found(text)]

    assert labels == ["email", "phone", "payment card", "ssn", "ip address"]
