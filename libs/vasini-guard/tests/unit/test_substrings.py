"""The one-pass substring finder the detector's prefilters use: it must say exactly what
`word in text` says, for every word, or a rule would be skipped on a text it matches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vasini_guard import injection
from vasini_guard import injection_signals as signals
from vasini_guard.normalise import lines_with_offsets, skeleton
from vasini_guard.substrings import Substrings

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
# Words that begin one another, overlap, hold spaces and punctuation, or are not ASCII.
WORDS = ("in", "ins", "instruction", "instructions", "struct", "a", " ai", "ai:", "a.i.",
         "<!--", "--", "say no", "no", "über", "ß")  # fmt: skip
FINDER = Substrings(WORDS)


def _in(words: frozenset[str], text: str) -> frozenset[str]:
    return frozenset(word for word in words if word in text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ignore the instructions",
        "reinstructions",
        "say no to the AI: ai: a.i. <!-- --> über Straße",
        "ins",
        "no",
    ],
)
def test_substrings_finds_exactly_the_words_the_text_holds(text: str) -> None:
    assert FINDER.found(text) == _in(FINDER.words, text)


@given(st.text(alphabet="instrucoa.:i <!-ßüber", max_size=60))
def test_substrings_agrees_with_in_on_any_text(text: str) -> None:
    assert FINDER.found(text) == _in(FINDER.words, text)


def test_substrings_refuses_the_empty_word() -> None:
    with pytest.raises(ValueError, match="empty"):
        Substrings(["ok", ""])


def test_substrings_the_detector_word_sets_agree_with_in_on_the_corpus() -> None:
    texts = []
    for name in ("attacks", "benign"):
        with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    for text in texts:
        for form in (skeleton(text), lines_with_offsets(text)[0]):
            needs = injection._SKELETON_NEEDS
            assert needs.found(form) == _in(needs.words, form)


def test_substrings_join_cue_matches_hold_a_join_word() -> None:
    """`JOIN_WORDS` is tested before `JOIN_CUE` is run: each of its matches holds one."""
    texts = ["a + b", "x+'y'", "'p' +", "concatenate them", "put them together", "merge a"]
    for text in texts:
        match = signals.JOIN_CUE.search(text)
        assert match is not None
        assert any(word in match.group() for word in signals.JOIN_WORDS)
