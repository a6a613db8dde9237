"""The form phrase detectors match on: look-alikes folded, invisibles gone, one case."""

from __future__ import annotations

import unicodedata

# Zero-width space/joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` normalised (see `normalise`) and, for each of its characters, the index
    of the character of `text` it came from: a match `[s, e)` in the normalised form
    covers `[offsets[s], offsets[e - 1] + 1)` of `text`.

    Each character is normalised on its own (NFKC, then casefold), so that every
    output character has exactly one origin; for the ASCII phrases baseline detectors
    look for, that equals normalising the whole string.
    """
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char in INVISIBLE:
            continue
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded in INVISIBLE or (folded.isspace() and out and out[-1] == " "):
                continue
            out.append(" " if folded.isspace() else folded)
            offsets.append(index)
    return "".join(out), offsets


def normalise(text: str) -> str:
    """NFKC (full-width and compatibility forms folded to their plain letters), case
    folded, zero-width and other invisible characters removed, every run of
    whitespace collapsed to one space."""
    return normalise_with_offsets(text)[0]
