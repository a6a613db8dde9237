"""Baseline PII detection: e-mail, international phone numbers, payment cards, IBANs."""

from __future__ import annotations

import re

from vasini_guard.detection import Detection

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_PHONE = re.compile(
    r"(?<![\w+])\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}\b"
)
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_E164_DIGITS = range(8, 16)
_CARD_DIGITS = range(13, 20)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum payment card numbers carry in their last digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    """The ISO 13616 mod-97 check of an IBAN (spaces ignored)."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


class BaselinePiiDetector:
    """E-mail addresses; phone numbers in international form (`+` and 8-15 digits,
    E.164-like; national forms without `+` are not recognised); payment card numbers
    of 13-19 digits that pass the Luhn check; IBANs (upper case, optionally grouped by
    four) that pass their mod-97 checksum. Checksums keep ordinary numbers (orders,
    versions, amounts) from being taken for personal data."""

    name = "baseline-pii"

    def detect(self, text: str) -> list[Detection]:
        found = [Detection("pii", m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
        for match in _PHONE.finditer(text):
            if len(re.sub(r"\D", "", match.group())) in _E164_DIGITS:
                found.append(Detection("pii", match.start(), match.end(), "phone"))
        for match in _CARD.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if len(digits) in _CARD_DIGITS and luhn_valid(digits):
                found.append(Detection("pii", match.start(), match.end(), "payment card"))
        for match in _IBAN.finditer(text):
            if iban_valid(match.group()):
                found.append(Detection("pii", match.start(), match.end(), "iban"))
        return found
