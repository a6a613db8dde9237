"""Personal data: e-mail addresses, phone numbers, payment cards, IBANs, US social
security numbers and IP addresses. Every number is validated (checksums, numbering
plans, issuing rules), so that orders, versions, dates and amounts are left alone."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from vasini_guard.cards import find_cards
from vasini_guard.checksums import IBAN_LENGTHS, iban_valid, luhn_valid
from vasini_guard.context import lower_same_length
from vasini_guard.detection import (
    EMAIL,
    IBAN,
    IP_ADDRESS,
    PAYMENT_CARD,
    PHONE,
    SSN,
    Detection,
    without_overlaps,
)
from vasini_guard.ip_addresses import find_ip_addresses
from vasini_guard.phones import DEFAULT_REGIONS, find_phones

__all__ = ["PiiDetector", "iban_valid", "luhn_valid"]

# An e-mail address is found from its `@`: the local part before it (at most 64
# characters), the domain after it, with a top-level name.
_LOCAL_PART = re.compile(r"[\w%+-]+(?:\.[\w%+-]+)*\Z")
_LOCAL_PART_MAX = 64
_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])")
# An IBAN in its electronic form or printed in groups of four; its end is found from
# its country's length (see `_iban_end`), so the pattern may run into a following group.
# (On `[A-Z](?<!x[A-Z])`, see `vasini_guard.cards`.)
_IBAN = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z][0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?")
_SSN = re.compile(r"[0-9](?<![\w-][0-9])[0-9]{2}([- ])[0-9]{2}\1[0-9]{4}(?![\w-])")
_SSN_LABELLED = re.compile(r"(?:ssn|social security(?: number| no\.?)?)\W{1,4}([0-9]{9})\b")
# Numbers the SSA never issues although they follow its rules: ones used in adverts,
# and the placeholder everyone types.
_SSN_NEVER_ISSUED = frozenset({"078051120", "219099999", "123456789"})


class PiiDetector:
    """Personal data, each labelled (`Detection.detail`) as one of:

    - `email`: an address with a domain that has a top-level name (not `user@localhost`);
    - `phone`: international numbers (`+` and country code) valid in their country,
      and national numbers valid in one of `phone_regions` (default US, GB, DE, FR) as
      libphonenumber knows them; numbers labelled as orders, invoices, tickets, ... are
      identifiers, not phones;
    - `payment card`: 12-19 digits, optionally grouped by spaces or dashes, in a range
      and length a card network issues (Visa, Mastercard, Amex, Discover, Diners, JCB,
      UnionPay, Maestro) and passing the Luhn check;
    - `iban`: upper case, electronic or grouped by four, of a registry country's length,
      passing the mod-97 check;
    - `ssn`: `AAA-GG-SSSS` or `AAA GG SSSS` (or nine digits right after `SSN`) with an
      area other than 000, 666 and 900-999, a group other than 00, a serial other than
      0000, and not a number known never to be issued;
    - `ip address`: IPv4 and IPv6 (see `vasini_guard.ip_addresses`).

    Spans never overlap (the longer finding wins). Never raises on any `str`.
    """

    name = "pii"

    def __init__(self, phone_regions: Iterable[str] = DEFAULT_REGIONS) -> None:
        self._phone_regions = tuple(phone_regions)

    def detect(self, text: str) -> list[Detection]:
        # The digits of an IBAN, even one with a wrong check (a mistyped IBAN), are
        # not a phone number or a card; the digits of a card or an SSN are not a phone
        # number either, and libphonenumber, the slowest part, need not read them.
        iban_shaped = _Spans(_iban_shaped(text))
        numbers = [
            d
            for d in (*_labelled(find_cards(text), PAYMENT_CARD), *_labelled(_ssns(text), SSN))
            if not iban_shaped.overlaps(d.start, d.end)
        ]
        taken = _Spans([*iban_shaped.spans, *((d.start, d.end) for d in numbers)])
        phones = find_phones(text, self._phone_regions, taken.covers)
        ibans = [span for span in iban_shaped.spans if iban_valid(text[span[0] : span[1]])]
        return without_overlaps(
            [
                *_labelled(_emails(text), EMAIL),
                *numbers,
                *(d for d in _labelled(phones, PHONE) if not iban_shaped.overlaps(d.start, d.end)),
                *_labelled(ibans, IBAN),
                *_labelled(find_ip_addresses(text), IP_ADDRESS),
            ]
        )


def _labelled(spans: Iterable[tuple[int, int]], label: str) -> Iterator[Detection]:
    return (Detection("pii", start, end, label) for start, end in spans)


class _Spans:
    """Spans of a text (overlapping ones merged), for asking quickly whether they
    overlap or cover another span."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if self.spans and start < self.spans[-1][1]:
                self.spans[-1] = (self.spans[-1][0], max(self.spans[-1][1], end))
            else:
                self.spans.append((start, end))
        self._starts = [start for start, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self._starts, start)  # spans[at - 1] starts at or before
        return (at > 0 and self.spans[at - 1][1] > start) or (
            at < len(self.spans) and self.spans[at][0] < end
        )

    def covers(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self._starts, start)
        return at > 0 and self.spans[at - 1][1] >= end


def _emails(text: str) -> Iterator[tuple[int, int]]:
    at = text.find("@")
    while at != -1:
        local = _LOCAL_PART.search(text, max(at - _LOCAL_PART_MAX, 0), at)
        domain = _DOMAIN.match(text, at + 1)
        if local and domain and not _cut_from_a_longer_word(text, local.start()):
            yield local.start(), domain.end()
        at = text.find("@", at + 1)


def _cut_from_a_longer_word(text: str, start: int) -> bool:
    """Whether the local part found is the tail of a longer one (over 64 characters,
    or starting with a dot): then it is not an address."""
    before = text[start - 1 : start]
    return bool(before) and (before.isalnum() or before in "_.%+-")


def _iban_shaped(text: str) -> Iterator[tuple[int, int]]:
    """Spans shaped as IBANs (a registry country, its length), valid or not."""
    for match in _IBAN.finditer(text):
        end = _iban_end(text, match)
        if end is not None:
            yield match.start(), end


def _iban_end(text: str, match: re.Match[str]) -> int | None:
    """Where the IBAN starting the match ends, from its country's length: after that
    many characters, which must end a group (an IBAN is not the head of a longer code)."""
    length = IBAN_LENGTHS.get(match.group()[:2])
    if length is None:
        return None
    seen = 0
    for index in range(match.start(), match.end()):
        if text[index] != " ":
            seen += 1
            if seen == length:
                return None if text[index + 1 : index + 2].isalnum() else index + 1
    return None


def _ssns(text: str) -> Iterator[tuple[int, int]]:
    spans = [match.span() for match in _SSN.finditer(text)]
    lowered = lower_same_length(text)
    if "ssn" in lowered or "social security" in lowered:
        # Nine digits in one piece are an SSN only where the text says so.
        spans += [match.span(1) for match in _SSN_LABELLED.finditer(lowered)]
    for start, end in spans:
        if _ssn_issuable(re.sub(r"[^0-9]", "", text[start:end])):
            yield start, end


def _ssn_issuable(digits: str) -> bool:
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return (
        area not in ("000", "666")
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
        and digits not in _SSN_NEVER_ISSUED
        and len(set(digits)) > 1
    )
