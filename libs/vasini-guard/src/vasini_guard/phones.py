"""Phone numbers, validated against Google's libphonenumber metadata (`phonenumbers`).

`PhoneNumberMatcher` with leniency VALID knows each country's numbering plan and the
ways numbers are written (it also refuses dates, times and numbers glued to letters),
but costs about half a millisecond per region for a page of text. So a cheap pattern
first finds the stretches that could hold a number (seven digits or more, with the
punctuation numbers are written with) and the matcher only reads those, with a few
characters of context on each side (which it uses to refuse numbers glued to others),
for the regions the stretch can belong to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from phonenumbers import Leniency, PhoneMetadata, PhoneNumberMatcher

from vasini_guard.context import label_before

DEFAULT_REGIONS = ("US", "GB", "DE", "FR")

# Starts at a digit (see `vasini_guard.cards` on speed); a `+` or `(` before it is
# taken in by `find_phones`.
_CANDIDATE = re.compile(r"[0-9](?:[0-9]|[ \u00a0().\-/]{1,3}(?=[0-9(])){5,}[0-9)]?")
_MIN_DIGITS, _MAX_DIGITS = 7, 15
# Dates and dotted quads have the digits of a phone number but are never one (an IP
# address is found as such).
_NEVER_A_PHONE = re.compile(
    r"[0-9]{1,2}([./-])[0-9]{1,2}\1[0-9]{4}"  # 25.11.2026, 11/25/2026
    r"|[0-9]{4}([./-])[0-9]{1,2}\2[0-9]{1,2}"  # 2026-11-25
    r"|[0-9]{1,3}(?:\.[0-9]{1,3}){3}"  # 192.0.2.1
)
_CONTEXT = 3  # characters of context the matcher is shown on each side
_AFTER_DIGITS = re.compile(r"[0-9][ ./-]?\Z")
# Labels that make a number an identifier rather than a phone number (`Order No.
# 4155552671`); they count for numbers written without a country code only.
_IDENTIFIER_LABELS = frozenset(
    {"account", "acct", "badge", "build", "case", "code", "customer", "id", "invoice"}
    | {"isbn", "member", "order", "pin", "po", "receipt", "ref", "reference", "serial"}
    | {"sku", "ticket", "tracking", "transaction", "version"}
)


def find_phones(
    text: str,
    regions: Iterable[str] = DEFAULT_REGIONS,
    taken: Callable[[int, int], bool] = lambda start, end: False,
) -> Iterator[tuple[int, int]]:
    """Spans of valid phone numbers: international (`+44 20 7946 0958`, valid for any
    country) and national as written in one of `regions` (`(415) 555-2671` in the US,
    `030 12345678` in Germany), each span reported once. Stretches of digits for which
    `taken(start, end)` is true (already known to be something else, a card say) are
    not read."""
    regions = tuple(regions)
    seen: set[tuple[int, int]] = set()
    for candidate in _CANDIDATE.finditer(text):
        digits = sum(char.isdigit() for char in candidate.group())
        if not _could_hold_a_phone(candidate.group(), digits) or taken(*candidate.span()):
            continue
        start = candidate.start()
        if start and text[start - 1] == "(":
            start -= 1
        if start and text[start - 1] == "+":
            start -= 1
        offset = max(start - _CONTEXT, 0)
        window = text[offset : candidate.end() + _CONTEXT]
        international = text[start] == "+"
        for region in _regions_for(international, candidate.group()[0], digits, regions):
            for match in PhoneNumberMatcher(window, region, leniency=Leniency.VALID):
                span = (offset + match.start, offset + match.end)
                if span in seen or _part_of_another_number(text, start, span[0]):
                    continue
                seen.add(span)
                yield span


def _could_hold_a_phone(candidate: str, digits: int) -> bool:
    """Enough digits for a phone number, not a date or a dotted quad, and no more
    digits than one number has (E.164: 15) unless a `/` lists several."""
    return (
        digits >= _MIN_DIGITS
        and (digits <= _MAX_DIGITS or "/" in candidate)
        and not _NEVER_A_PHONE.fullmatch(candidate)
    )


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a region's national numbers look like written down: whether they start
    with the trunk prefix 0 (GB, DE, FR: the matcher requires it) or never do (US,
    whose trunk prefix is 1), and the fewest digits they have, prefix included."""

    starts_with_zero: bool
    min_digits: int


def _regions_for(
    international: bool, first_digit: str, digits: int, regions: tuple[str, ...]
) -> tuple[str, ...]:
    """The regions a candidate can be a number of, to spare the matcher the others:
    any one for an international number (its country code says the rest)."""
    if international:
        return regions[:1]
    return tuple(
        region
        for region in regions
        if _plan(region).starts_with_zero == (first_digit == "0")
        and digits >= _plan(region).min_digits
    )


@functools.cache
def _plan(region: str) -> _Plan:
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:  # not a region libphonenumber knows: the matcher finds nothing
        return _Plan(starts_with_zero=False, min_digits=1_000)
    prefix = metadata.national_prefix
    lengths = metadata.general_desc.possible_length if metadata.general_desc else ()
    shortest = min(lengths, default=_MIN_DIGITS)
    return _Plan(prefix in ("0", None), shortest + (1 if prefix == "0" else 0))


def _part_of_another_number(text: str, candidate_start: int, start: int) -> bool:
    """Whether the number at `start` is part of something else: the tail of a longer
    group of digits (`9400 7402 7865 01`), or an identifier by its label (`Order No.
    4155552671`; a `+` number is always a phone)."""
    return _AFTER_DIGITS.search(text, max(start - 2, 0), start) is not None or (
        text[start] != "+" and label_before(text, candidate_start) in _IDENTIFIER_LABELS
    )
