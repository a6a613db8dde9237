"""Secrets without a format: random-looking values of secret-named keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vasini_guard.assignments import looks_random, shannon_entropy
from vasini_guard.credentials import SecretDetector

SECRETS = SecretDetector()
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8Kd2Lm4N"


def found(text: str) -> list[tuple[str, str]]:
    return [(text[d.start : d.end], d.detail) for d in SECRETS.detect(text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('password = "Xk9#mQ2vLp"', "Xk9#mQ2vLp"),
        ("DB_PASSWORD=Summer2024!", "Summer2024!"),
        ("export API_KEY='f3a9c1e7b2d84f6a'", "f3a9c1e7b2d84f6a"),
        ('{"client_secret": "p8Qz-3Lk_9wR2mVt"}', "p8Qz-3Lk_9wR2mVt"),
        ("secret: P@ssw0rd", "P@ssw0rd"),
        ("token := qWeRtYuIoPaSdFgH", "qWeRtYuIoPaSdFgH"),
        ("TOKEN=K7Q2M9X4P1Z8W3", "K7Q2M9X4P1Z8W3"),
        ("'apiKey' => 'Zm9vYmFyYmF6cXV4'", "Zm9vYmFyYmF6cXV4"),
        (
            "auth_token: 550e8400-e29b-41d4-a716-446655440000",
            "550e8400-e29b-41d4-a716-446655440000",
        ),
        (
            "SECRET_KEY = 3f786850e387550fdab836ed7e6dc881de23001b",
            "3f786850e387550fdab836ed7e6dc881de23001b",
        ),
    ],
)
def test_random_values_of_secret_named_keys_are_found_alone(text: str, value: str) -> None:
    assert found(text) == [(value, "assigned secret")]


def test_the_aws_secret_access_key_is_named() -> None:
    text = f"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {AWS_SECRET}"

    assert found(text) == [
        ("AKIAIOSFODNN7EXAMPLE", "aws access key id"),
        (AWS_SECRET, "aws secret access key"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        'password = os.environ["DB_PASSWORD"]',
        "token: ${{ secrets.GITHUB_TOKEN }}",
        "api_key = settings.openai_api_key",
        "SECRET_KEY=${SECRET_KEY}",
        "password: DB_PASSWORD_2",
        "password: <your password here>",
        "password: changeme123",
        "secret: required",
        "secret: Confidential",
        "password=hunter2hunter2",  # too repetitive to be generated
        "password: correcthorsebatterystaple",  # plain words
        "pwd = os.getcwd()",
        "token = None",
        "password: ********",
        "max_tokens: 4096",
        "token_url = https://auth.example.com/oauth2/token?x=1",
        "password_file: /run/secrets/db_password_2",
        "private_key_id: 3f786850e387550fdab836ed7e6dc881de23001b",
        "request id 550e8400-e29b-41d4-a716-446655440000 failed",  # a UUID without a key
        "The token is a random string; keep your password safe.",
        "My password is Xk9#mQ2vLp",  # said in prose, not assigned: not found
    ],
)
def test_references_placeholders_words_and_ids_are_not_secrets(text: str) -> None:
    assert found(text) == []


def test_entropy_and_randomness() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == 2.0
    assert looks_random("Xk9#mQ2vLp")
    assert not looks_random("Xk9#mQ2")  # shorter than 8
    assert not looks_random("development")
    assert not looks_random("12345678901234")  # digits alone: an id or a count


@given(st.text(max_size=200))
def test_never_raises_and_values_stay_inside_the_text(value: str) -> None:
    text = f"password = {value}\ntoken: '{value}'"
    for detection in SECRETS.detect(text):
        assert 0 <= detection.start < detection.end <= len(text)
        assert "\n" not in text[detection.start : detection.end]
