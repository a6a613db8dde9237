"""Credentials: provider API keys and tokens by their documented formats, JSON Web
Tokens, PEM private keys, passwords in URLs, and secrets assigned to secret-named keys
(`vasini_guard.assignments`)."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
from collections.abc import Iterator

from vasini_guard.assignments import find_assigned_secrets, is_placeholder
from vasini_guard.detection import Detection, without_overlaps

# (label, the literals one of which each such token contains, pattern). The literals
# are looked for first: `in` costs a microsecond where a pattern costs thirty. A pattern
# with a `value` group reports that group only, so that redaction keeps the words
# around it (`Authorization: Bearer [SECRET]`).
_TOKENS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (label, hints, re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])"))
    for label, hints, pattern in (
        (
            "anthropic api key",
            ("sk-ant-",),
            r"sk-ant-(?:api|admin|sid)[0-9]{2}-[A-Za-z0-9_-]{20,}",
        ),
        (
            "openai api key",
            ("sk-",),
            r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9]{20,}",
        ),
        (
            "github token",
            ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
            r"gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,}",
        ),
        (
            "gitlab token",
            ("glpat-", "gldt-", "glptt-", "glrt-", "glcbt-", "gloas-"),
            r"gl(?:pat|dt|ptt|rt|cbt|oas)-[A-Za-z0-9_.-]{20,}",
        ),
        (
            "slack token",
            ("xox", "xapp-"),
            r"xox[abprs]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}",
        ),
        ("stripe key", ("k_live_",), r"[sr]k_live_[A-Za-z0-9]{16,}"),
        ("google api key", ("AIza",), r"AIza[0-9A-Za-z_-]{35}"),
        ("aws access key id", ("AKIA", "ASIA"), r"(?:AKIA|ASIA)[0-9A-Z]{16}"),
        ("twilio api key", ("SK",), r"SK[0-9a-fA-F]{32}"),
        ("sendgrid api key", ("SG.",), r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"),
        ("npm token", ("npm_",), r"npm_[A-Za-z0-9]{36}"),
        ("pypi token", ("pypi-",), r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"),
        (
            "azure storage key",
            ("AccountKey=",),
            r"(?<=AccountKey=)(?P<value>[A-Za-z0-9+/]{86}==)",
        ),
        (
            "bearer token",
            ("Bearer", "bearer", "BEARER"),
            r"(?i:bearer)[ \t]+(?P<value>[A-Za-z0-9._~+/-]{16,}=*)",
        ),
    )
)
_JWT = re.compile(r"(?<![\w-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")
# A PEM private key, whole: from its BEGIN line to the matching END line, with real or
# JSON-escaped (`\n`) line breaks, as in a service-account key file. A key cut short
# is covered up to the last line that looks like part of it. (Found by pairing BEGIN
# and END lines rather than by one pattern: `BEGIN.*?END` reads to the end of the text
# for every BEGIN without an END, which makes a text of such lines quadratic.)
_PEM_BEGIN = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_PEM_END = re.compile(r"-----END ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_PEM_LINES = re.compile(r"(?:(?:\\r)?(?:\\n|\r?\n)(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]+: [^\r\n\\]*))*")
_URL_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<value>[^\s:/@]+)@", re.I)


class SecretDetector:
    """Credentials, each labelled (`Detection.detail`) by what it is: `openai api key`,
    `anthropic api key`, `github token`, `gitlab token`, `slack token`, `stripe key`
    (live keys only), `google api key`, `aws access key id`, `aws secret access key`,
    `azure storage key`, `twilio api key`, `sendgrid api key`, `npm token`,
    `pypi token`, `bearer token`, `jwt` (a header that decodes to JSON naming its
    `alg`), `private key` (the whole PEM block, also inside service-account JSON),
    `url password` (`scheme://user:PASSWORD@host`) and `assigned secret` (a random-
    looking value given to a secret-named key: see `vasini_guard.assignments`).

    Spans never overlap (the longer finding wins). Never raises on any `str`.
    """

    name = "secret"

    def detect(self, text: str) -> list[Detection]:
        found = [
            *_tokens(text),
            *(Detection("secret", m.start(), m.end(), "jwt") for m in _jwts(text)),
            *(Detection("secret", start, end, "private key") for start, end in _pems(text)),
            *_url_passwords(text),
            *(Detection("secret", start, end, label) for start, end, label in (
                find_assigned_secrets(text)
            )),
        ]  # fmt: skip
        return without_overlaps(found)


def _tokens(text: str) -> Iterator[Detection]:
    for label, hints, pattern in _TOKENS:
        if not any(hint in text for hint in hints):
            continue
        for match in pattern.finditer(text):
            group = "value" if "value" in pattern.groupindex else 0
            yield Detection("secret", match.start(group), match.end(group), label)


def _jwts(text: str) -> Iterator[re.Match[str]]:
    if "eyJ" not in text:
        return
    for match in _JWT.finditer(text):
        if _jwt_header_valid(match.group().partition(".")[0]):
            yield match


def _jwt_header_valid(encoded: str) -> bool:
    try:
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return isinstance(header, dict) and isinstance(header.get("alg"), str)


def _pems(text: str) -> Iterator[tuple[int, int]]:
    if "-----BEGIN " not in text:
        return
    begins = list(_PEM_BEGIN.finditer(text))
    ends = list(_PEM_END.finditer(text))
    end_starts = [end.start() for end in ends]
    for number, begin in enumerate(begins):
        until = begins[number + 1].start() if number + 1 < len(begins) else len(text)
        at = bisect.bisect_left(end_starts, begin.end())
        if at < len(ends) and ends[at].end() <= until and ends[at].group(1) == begin.group(1):
            yield begin.start(), ends[at].end()
        else:  # cut short
            lines = _PEM_LINES.match(text, begin.end())
            yield begin.start(), lines.end() if lines else begin.end()


def _url_passwords(text: str) -> Iterator[Detection]:
    if "://" not in text:
        return
    for match in _URL_PASSWORD.finditer(text):
        if not is_placeholder(match.group("value")):
            yield Detection("secret", match.start("value"), match.end("value"), "url password")
