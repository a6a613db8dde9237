"""The words around a candidate value, for the few detectors that need them."""

from __future__ import annotations

import re

# The last word before a position, with only punctuation and spaces after it.
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^A-Za-z0-9]*\Z")
# Words between a label and its value that say nothing about what the value is.
_FILLERS = frozenset(
    {"is", "was", "are", "were", "no", "nr", "number", "num", "the", "of", "my", "your", "our"}
)
_LOOK_BACK = 40  # characters
_WORDS_BACK = 4


def label_before(text: str, start: int) -> str:
    """The word that labels the value starting at `start`, lower case: `order` in
    `Order No. 4829103847` and in `your order number is 4829103847`, `version` in
    `version: 1.2.3.4`; `` when a digit comes first or no word is near."""
    end = start
    for _ in range(_WORDS_BACK):
        match = _WORD_BEFORE.search(text, max(end - _LOOK_BACK, 0), end)
        if match is None:
            return ""
        word = match.group(1).lower()
        if word not in _FILLERS:
            return word
        end = match.start()
    return ""


def lower_same_length(text: str) -> str:
    """`text` in lower case character for character, so that a span found in it is the
    same span of `text` (`str.lower` turns a few characters, such as `İ`, into two)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)
