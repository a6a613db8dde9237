"""API keys: `vsk_<key id>_<secret>`. Only a SHA-256 of the secret is stored.

The secret is 256 random bits, so a fast hash is enough (a slow password hash protects
low-entropy secrets; this one cannot be guessed); the key id finds the row without
scanning, and the comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "vsk"


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A new key: `token` is shown to its owner once; `secret_hash` is what is kept."""

    key_id: str
    token: str
    secret_hash: str


def issue_key() -> IssuedKey:
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return IssuedKey(key_id, f"{PREFIX}_{key_id}_{secret}", hash_secret(secret))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(token: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
