"""Payment card numbers: a card network's number range and length, and the Luhn check.

A random number passes the Luhn check one time in ten, so the number must also start
with a range a network issues from and have a length that network uses; together they
leave order, tracking and account numbers alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vasini_guard.checksums import luhn_valid

# (first, last) of a range of leading digits, both of the same length, and the lengths
# of the card numbers issued from it.
_RANGES: tuple[tuple[str, str, range], ...] = (
    ("4", "4", range(13, 20, 3)),  # Visa: 13, 16, 19
    ("51", "55", range(16, 17)),  # Mastercard
    ("2221", "2720", range(16, 17)),  # Mastercard 2-series
    ("34", "34", range(15, 16)),  # American Express
    ("37", "37", range(15, 16)),
    ("6011", "6011", range(16, 20)),  # Discover
    ("644", "649", range(16, 20)),
    ("65", "65", range(16, 20)),
    ("622126", "622925", range(16, 20)),  # Discover / UnionPay co-branded
    ("300", "305", range(14, 20)),  # Diners Club
    ("3095", "3095", range(14, 20)),
    ("36", "36", range(14, 20)),
    ("38", "39", range(14, 20)),
    ("3528", "3589", range(16, 20)),  # JCB
    ("62", "62", range(16, 20)),  # UnionPay
    ("5018", "5018", range(12, 20)),  # Maestro
    ("5020", "5020", range(12, 20)),
    ("5038", "5038", range(12, 20)),
    ("5893", "5893", range(12, 20)),
    ("6304", "6304", range(12, 20)),
    ("6759", "6759", range(12, 20)),
    ("6761", "6763", range(12, 20)),
)
CARD_LENGTHS = range(12, 20)

# Digits in groups split by single spaces or dashes, not glued to other digits,
# letters or number punctuation (a version `1.2.3`, an amount `1,234`). Patterns in
# this library start with the character class of their first character and check
# what precedes it after it (`[0-9](?<!x[0-9])`): the regex engine then skips quickly
# over text that cannot start a match, several times faster than a leading `(?<!x)`.
_DIGIT_GROUPS = re.compile(r"[0-9](?<![\w.,+-][0-9])[0-9]*(?:[ -][0-9]+)*(?![\w-]|[.,][0-9])")
_SEPARATOR = re.compile(r"[ -]")


def card_number_valid(digits: str) -> bool:
    """A number a card network issues: its range, its length, and the Luhn check."""
    return any(
        len(digits) in lengths and first <= digits[: len(first)] <= last
        for first, last, lengths in _RANGES
    ) and luhn_valid(digits)


def find_cards(text: str) -> Iterator[tuple[int, int]]:
    """Spans of card numbers, written in one piece or in groups (`4111 1111 1111 1111`,
    `3782-822463-10005`). A run of groups with more digits than any card (the card and
    then a year, say) yields the longest valid card it starts with. A run of card
    length is the card or nothing (an invalid 19-digit number does not hide a valid
    16-digit one), and a card is never taken from the middle of a run, which is more
    often a tracking or account number."""
    for run in _DIGIT_GROUPS.finditer(text):
        if run.end() - run.start() >= CARD_LENGTHS.start:
            end = _card_end(run.group())
            if end is not None:
                yield run.start(), run.start() + end


def _card_end(run: str) -> int | None:
    """Where the card at the start of `run` ends, if there is one."""
    whole = _SEPARATOR.sub("", run)
    if len(whole) in CARD_LENGTHS:  # the run is a card or nothing
        return len(run) if card_number_valid(whole) else None
    head = run[: 2 * CARD_LENGTHS.stop]  # room for 19 digits and their separators
    for separator in reversed(list(_SEPARATOR.finditer(head))):
        digits = _SEPARATOR.sub("", run[: separator.start()])
        if len(digits) in CARD_LENGTHS and card_number_valid(digits):
            return separator.start()
    return None
