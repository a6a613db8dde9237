"""Which of a fixed set of substrings a text holds, found in one pass.

Injection rules and cues are tried only when words they need occur in the text
(`Rule.needs`). Testing some 700 words one `in` at a time costs more than a regex pass:
the words are compiled into one pattern shaped as a trie (common beginnings shared, so
at each position the engine follows one branch per character) inside a lookahead, so
that it is tried at every position of the text without consuming it. At each position
it finds the longest word starting there; the words that are beginnings of that one
start there too. Together these are exactly the words `word in text` holds for.

Each word is a bit of an `int` (`bits`, `mask`): whether a text holds one word of a group
is one `&` of two ints, which callers asking about hundreds of groups per text (a rule's
`needs`) find much cheaper than a set test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A trie node: the next characters and their subtrees; `_END` marks a word ending here.
_Trie = dict[str, "_Trie"]
_END = ""


def _trie_pattern(node: _Trie) -> str:
    """The regex matching, greedily, the words of the trie `node` (its longest first)."""
    branches = [re.escape(char) + _trie_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # A word ending here makes the rest optional; greedy, so the longest word wins.
    return f"(?:{body})?" if _END in node else body


def trie_alternation(words: Iterable[str]) -> str:
    """A regex matching exactly the (non-empty) `words`, shaped as a trie: faster to
    search than a plain alternation of many words, which is tried branch by branch."""
    trie: _Trie = {}
    for word in sorted(set(words)):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return f"(?:{_trie_pattern(trie)})"


class Substrings:
    """A set of non-empty strings, and which of them a text holds (`bits`, `found`)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        if _END in self.words:
            raise ValueError("the empty string is in every text")
        trie: _Trie = {}
        for word in sorted(self.words):
            node = trie
            for char in word:
                node = node.setdefault(char, {})
            node[_END] = {}
        self._pattern = re.compile(f"(?=({_trie_pattern(trie)}))")
        self._bit = {word: 1 << index for index, word in enumerate(sorted(self.words))}
        # The bits of the words each word begins with (itself included).
        self._beginnings = {
            word: self.mask(word[:length] for length in range(1, len(word) + 1))
            for word in self.words
        }
        self._masks: dict[tuple[str, ...], int] = {}

    def mask(self, words: Iterable[str]) -> int:
        """The bits of those of `words` that are in the set (no text holds the others,
        as far as `bits` says)."""
        mask = 0
        for bit in map(self._bit.get, words):
            if bit is not None:
                mask |= bit
        return mask

    def group(self, words: tuple[str, ...]) -> int:
        """`mask(words)`, computed once per group of words."""
        mask = self._masks.get(words)
        if mask is None:
            mask = self._masks[words] = self.mask(words)
        return mask

    def bits(self, text: str) -> int:
        """The bits of the words that occur in `text` (as `word in text` would say)."""
        found = 0
        for bits in map(self._beginnings.__getitem__, set(self._pattern.findall(text))):
            found |= bits
        return found

    def found(self, text: str) -> frozenset[str]:
        """The words that occur in `text` (as `word in text` would say)."""
        found = self.bits(text)
        return frozenset(word for word, bit in self._bit.items() if bit & found)
