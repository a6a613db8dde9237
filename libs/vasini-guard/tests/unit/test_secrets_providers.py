"""Credentials in their providers' formats, JWTs, PEM private keys, URL passwords."""

from __future__ import annotations

import base64
import json

import pytest

from vasini_guard.credentials import SecretDetector

SECRETS = SecretDetector()
ALNUM = "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0zC"  # 32 varied characters


def found(text: str) -> list[tuple[str, str]]:
    return [(text[d.start : d.end], d.detail) for d in SECRETS.detect(text)]


def jwt(header: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part(header)}.{part({'sub': '1234567890'})}.{ALNUM}"


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("sk-" + ALNUM + "T3BlbkFJ" + ALNUM[:12], "openai api key"),
        ("sk-proj-" + ALNUM + "_" + ALNUM + "-x", "openai api key"),
        ("sk-svcacct-" + ALNUM, "openai api key"),
        ("sk-ant-api03-" + ALNUM * 3 + "AA", "anthropic api key"),
        ("ghp_" + ALNUM + "abcd", "github token"),
        ("gho_" + ALNUM + "abcd", "github token"),
        ("github_pat_11ABCDEFG0" + ALNUM + "_" + ALNUM, "github token"),
        ("glpat-" + ALNUM[:20], "gitlab token"),
        ("xoxb-1234567890-1234567890123-" + ALNUM[:24], "slack token"),
        ("xoxp-1234567890-abcdefghij", "slack token"),
        ("sk_live_" + ALNUM[:24], "stripe key"),
        ("rk_live_" + ALNUM[:24], "stripe key"),
        ("AIzaSyD" + ALNUM, "google api key"),
        ("AKIAIOSFODNN7EXAMPLE", "aws access key id"),
        ("ASIAY34FZKBOKMUTVV7A", "aws access key id"),
        ("SK" + "0123456789abcdef" * 2, "twilio api key"),
        ("SG." + ALNUM[:22] + "." + ALNUM + ALNUM[:11], "sendgrid api key"),
        ("npm_" + ALNUM + "wxyz", "npm token"),
        ("pypi-AgEIcHlwaS5vcmc" + ALNUM * 2, "pypi token"),
        (jwt({"alg": "HS256", "typ": "JWT"}), "jwt"),
        (jwt({"alg": "none"})[: -len(ALNUM)], "jwt"),  # unsigned: empty third part
    ],
)
def test_tokens_are_found_whole_by_their_format(value: str, label: str) -> None:
    assert found(f"use {value} here") == [(value, label)]


@pytest.mark.parametrize(
    "text",
    [
        "a risk-free task-list for the sk-team",
        "the scikit-learn alias sk-learn-model-training-pipeline-v2",
        "sk_test_" + ALNUM[:24],  # Stripe test keys are meant to be shared
        "ghp_short",
        "AKIA is a prefix AWS uses",
        "AKIAIOSFODNN7EXAMPLEX",  # too long for an access key id
        "eyJub3QiOiJhIGp3dCJ9.eyJzdWIiOiIxIn0.abc",  # header without `alg`
        "eyJhbGciOiJIUzI1NiJ9garbage.eyJzdWIiOiIxIn0.abc",  # header is not base64 JSON
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n",
        "-----BEGIN CERTIFICATE-----",
        "postgres://app:password@db/app and https://user:${DB_PASSWORD}@host",
        "https://example.com:443/path and mailto:jane@example.com",
        "Bearer in mind the cost",
    ],
)
def test_look_alikes_are_not_secrets(text: str) -> None:
    assert found(text) == []


PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nd2hhdCBhIGtleQ=="


@pytest.mark.parametrize(
    "key",
    [
        f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----",
        f"-----BEGIN RSA PRIVATE KEY-----\r\n{PEM_BODY}\r\n-----END RSA PRIVATE KEY-----",
        f"-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----",
        f"-----BEGIN EC PRIVATE KEY-----\n{PEM_BODY}\n-----END EC PRIVATE KEY-----",
        f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{PEM_BODY}\n-----END PGP PRIVATE KEY BLOCK-----",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
        f"{PEM_BODY}\n-----END ENCRYPTED PRIVATE KEY-----",
    ],
)
def test_a_pem_private_key_is_found_as_one_block(key: str) -> None:
    assert found(f"my key:\n{key}\nthanks") == [(key, "private key")]


def test_the_private_key_of_a_service_account_json_is_found_with_escaped_newlines() -> None:
    key = (
        f"-----BEGIN PRIVATE KEY-----\\n{PEM_BODY.replace(chr(10), '')}\\n-----END PRIVATE KEY-----"
    )
    document = json.dumps({"type": "service_account", "client_email": "a@p.iam.example"})
    text = document[:-1] + f', "private_key": "{key}\\n", "private_key_id": "{"ab12" * 10}"}}'

    assert found(text) == [(key, "private key")]


def test_a_pem_key_cut_short_is_covered_up_to_its_last_line() -> None:
    text = f"oops -----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\nand that is all"

    [(value, label)] = found(text)

    assert (value, label) == (f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}", "private key")


def test_url_passwords_and_bearer_tokens_are_found_without_their_surroundings() -> None:
    text = f"DATABASE_URL=postgresql://app:s3cr3t-Pw@db:5432/app\nAuthorization: Bearer {ALNUM}"

    assert found(text) == [("s3cr3t-Pw", "url password"), (ALNUM, "bearer token")]


def test_an_azure_storage_key_is_found_in_its_connection_string() -> None:
    key = (ALNUM * 3)[:86] + "=="
    text = f"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={key};EndpointSuffix=x"

    assert found(text) == [(key, "azure storage key")]
