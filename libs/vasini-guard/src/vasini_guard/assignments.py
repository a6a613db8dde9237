"""Secrets without a recognisable format: values given to secret-named keys.

`password = "Xk9#mQ2v"`, `AWS_SECRET_ACCESS_KEY=wJalr...`, `"client_secret": "..."`,
`token: 8f14e45f-ceea-467f-a8f5-...` (in `.env` files, YAML, JSON, code, shell). The
key must name a secret and the value must look random, because what follows such a key
is as often a reference or a word: `password = os.environ["DB_PASSWORD"]`,
`token: ${{ secrets.TOKEN }}`, `secret: required`, `password: <your password>`.

A value looks random when it is 8-200 characters long, is not a reference or a
placeholder (see `is_placeholder`), mixes character classes (letters and digits or
symbols, or upper case inside a word), and its Shannon entropy per character reaches
`ENTROPY_RATIO` of the most its length and alphabet allow (hex: 4 bits; else 6). So
`Summer2024!`, `P@ssw0rd`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCY` are secrets and
`development`, `Confidential`, `hunter2hunter2` are not. A UUID assigned to a secret-
named key counts as a secret (many APIs issue UUID tokens); a UUID anywhere else is
an identifier and is left alone. Passphrases of plain words and passwords said in
prose (`my password is ...`) are not found.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from vasini_guard.context import lower_same_length

ENTROPY_RATIO = 0.75
_MIN_LENGTH, _MAX_LENGTH = 8, 200

# Matched in the text in lower case (a case-insensitive pattern is eight times slower).
_ASSIGNMENT = re.compile(
    r"(?P<key>(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key"
    r"|private[_-]?key|credentials?)[\w.-]*)"
    r"[\"']?[ \t]*(?::=|=>|=|:)[ \t]*"
    r"(?:\"(?P<double>[^\"\r\n]{1,200})\"|'(?P<single>[^'\r\n]{1,200})'"
    r"|(?P<bare>[^\s\"'`,;<>()\[\]{}]{1,200}))"
)
_KEY_CHARS = re.compile(r"[\w.-]*\Z")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
# Keys that name something about a secret rather than the secret (`token_url`,
# `password_file`, `max_tokens`, `private_key_id`).
_NOT_THE_SECRET = frozenset(
    {"count", "dir", "enabled", "endpoint", "env", "expires", "expiry", "field", "file"}
    | {"format", "header", "hint", "host", "id", "ids", "label", "len", "length", "limit"}
    | {"max", "min", "name", "path", "pattern", "policy", "prompt", "required", "reset"}
    | {"rotation", "size", "ttl", "type", "uri", "url", "usage", "used", "var", "version"}
)
_REFERENCE = re.compile(
    r"[$%{<\[@&*!]"  # ${VAR}, %(x)s, {{ x }}, <your key>, [x], @var, YAML &anchor *alias !tag
    r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\Z"  # settings.api_key
    r"|[A-Z]+(?:_[A-Z0-9]+)*\Z"  # GITHUB_TOKEN, DB_PASSWORD_2 (not K7Q2M9X4P1Z8)
)
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)example|change_?me|placeholder|redacted|dummy|sample|your[_-]|xxxx|\*\*\*"
)
_PLACEHOLDERS = frozenset({"password", "passwd", "pass", "secret", "pwd", "token", "none"})
_HEX = frozenset("0123456789abcdefABCDEF-")


def find_assigned_secrets(text: str) -> Iterator[tuple[int, int, str]]:
    """`(start, end, label)` of each random-looking value assigned to a secret-named
    key; the span is the value alone (the key and quotes stay readable when redacted).
    The label is `aws secret access key` for AWS's secret key, else `assigned secret`."""
    lowered = lower_same_length(text)
    for match in _ASSIGNMENT.finditer(lowered):
        group = next(name for name in ("double", "single", "bare") if match.group(name))
        value = text[match.start(group) : match.end(group)]
        key = _key(text, lowered, match)
        # A PEM key is found whole, with its own label, by `vasini_guard.credentials`.
        if _names_the_secret(key) and looks_random(value) and not value.startswith("-----"):
            label = "aws secret access key" if _is_aws_secret(key) else "assigned secret"
            yield match.start(group), match.end(group), label


def looks_random(value: str) -> bool:
    """Whether `value` could be a generated secret (see the module docstring)."""
    if not _MIN_LENGTH <= len(value) <= _MAX_LENGTH or is_placeholder(value):
        return False
    letters = any(char.isalpha() for char in value)
    digits = any(char.isdigit() for char in value)
    symbols = any(not char.isalnum() and char not in "_-. " for char in value)
    inner_upper = any(char.isupper() for char in value[1:]) and any(c.islower() for c in value)
    if letters + digits + symbols < 2 and not inner_upper:
        return False
    alphabet_bits = 4 if set(value) <= _HEX else 6
    return shannon_entropy(value) >= ENTROPY_RATIO * min(math.log2(len(value)), alphabet_bits)


def is_placeholder(value: str) -> bool:
    """A reference to a secret kept elsewhere, or a stand-in for one: `${TOKEN}`,
    `settings.api_key`, `GITHUB_TOKEN`, `<your key>`, `changeme`, `********`."""
    return (
        _REFERENCE.match(value) is not None
        or _PLACEHOLDER_WORDS.search(value) is not None
        or value.lower() in _PLACEHOLDERS
        or len(set(value)) == 1
    )


def shannon_entropy(value: str) -> float:
    """Bits of information per character of `value`, from its character frequencies."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(count / total * math.log2(count / total) for count in Counter(value).values())


def _key(text: str, lowered: str, match: re.Match[str]) -> str:
    """The whole key the match's keyword is part of (`AWS_SECRET_ACCESS_KEY` for the
    `secret` the pattern starts at), up to the assignment operator."""
    head = _KEY_CHARS.search(lowered, max(match.start() - 64, 0), match.start())
    return text[head.start() if head else match.start() : match.end("key")]


def _names_the_secret(key: str) -> bool:
    words = _WORDS.findall(key)
    return not words or words[-1].lower() not in _NOT_THE_SECRET


def _is_aws_secret(key: str) -> bool:
    lowered = key.lower()
    return "aws" in lowered and "secret" in lowered
