"""Secret detection by format, and redaction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vasini_guard.credentials import SecretDetector
from vasini_guard.detection import Detection, redact, redact_readable, without_overlaps
from vasini_guard.pii import PiiDetector

SECRETS = SecretDetector()
GITHUB = "ghp_" + "a1B2" * 9


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("sk-proj-" + "Ab3" * 10, "openai api key"),
        ("sk-ant-api03-" + "x_Y-" * 10, "anthropic api key"),
        ("sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "stripe key"),
        ("AKIAIOSFODNN7EXAMPLE", "aws access key id"),
        (GITHUB, "github token"),
        ("xoxb-1234567890-abcdefghij", "slack token"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
        ("-----BEGIN PRIVATE KEY-----", "private key"),
    ],
)
def test_credentials_are_found_by_their_format(value: str, label: str) -> None:
    text = f"here: {value} ok"

    found = SECRETS.detect(text)

    assert [(text[d.start : d.end], d.detail, d.kind) for d in found] == [(value, label, "secret")]


@pytest.mark.parametrize(
    "text",
    [
        "a risk-free task-list for the sk-team",
        "AKIA is a prefix AWS uses",
        "ghp_short",
        "-----BEGIN PUBLIC KEY-----",
    ],
)
def test_look_alikes_are_not_secrets(text: str) -> None:
    assert SECRETS.detect(text) == []


def test_redaction_replaces_each_value_with_its_kind_and_keeps_the_rest() -> None:
    text = "key AKIAIOSFODNN7EXAMPLE, token " + GITHUB + " end"

    redacted = redact(text, SECRETS.detect(text))

    assert redacted == "key [REDACTED:secret], token [REDACTED:secret] end"


def test_overlapping_spans_become_one_marker() -> None:
    spans = [Detection("secret", 3, 7, "y"), Detection("pii", 1, 5, "x")]

    assert redact("abcdefgh", spans) == "a[REDACTED:pii]h"


def test_no_detections_leave_the_text_as_is_and_bad_spans_are_ignored() -> None:
    assert redact("same", []) == "same"
    assert redact("same", [Detection("pii", 3, 3, "empty"), Detection("pii", 9, 12, "x")]) == (
        "same"
    )


@given(st.text(max_size=400))
def test_never_raises_and_redaction_removes_every_detected_value(text: str) -> None:
    found = SECRETS.detect(text) + PiiDetector().detect(text)
    for detection in found:
        assert 0 <= detection.start < detection.end <= len(text)
    redacted = redact(text, found)
    assert SECRETS.detect(redacted) == []


def test_readable_redaction_names_what_was_there_and_keeps_the_sentence() -> None:
    text = "Mail jane@example.com or call +44 20 7946 0958; key AKIAIOSFODNN7EXAMPLE."
    found = SECRETS.detect(text) + PiiDetector().detect(text)

    assert redact_readable(text, found) == "Mail [EMAIL] or call [PHONE]; key [SECRET]."


@pytest.mark.parametrize(
    ("detection", "marker"),
    [
        (Detection("pii", 0, 4, "email"), "[EMAIL]"),
        (Detection("pii", 0, 4, "phone"), "[PHONE]"),
        (Detection("pii", 0, 4, "payment card"), "[CARD]"),
        (Detection("pii", 0, 4, "iban"), "[IBAN]"),
        (Detection("pii", 0, 4, "ssn"), "[SSN]"),
        (Detection("pii", 0, 4, "ip address"), "[IP]"),
        (Detection("pii", 0, 4, "passport"), "[PII]"),
        (Detection("secret", 0, 4, "github token"), "[SECRET]"),
        (Detection("jailbreak", 0, 4, "instruction override"), "[JAILBREAK]"),
    ],
)
def test_each_label_has_its_placeholder(detection: Detection, marker: str) -> None:
    assert redact_readable("abcd tail", [detection]) == f"{marker} tail"


def test_overlapping_findings_keep_the_secret_then_the_longest() -> None:
    email = Detection("pii", 10, 30, "email")
    password = Detection("secret", 5, 12, "url password")
    phone = Detection("pii", 40, 52, "phone")
    card = Detection("pii", 40, 59, "payment card")
    ssn, ssn_like_phone = Detection("pii", 60, 71, "ssn"), Detection("pii", 60, 71, "phone")

    kept = without_overlaps([phone, email, ssn_like_phone, card, password, ssn])

    assert kept == [password, card, ssn]
