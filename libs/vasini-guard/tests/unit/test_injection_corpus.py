"""The labelled corpus under libs/vasini-guard/corpus/ and how the detector does on it.

The `dev` split is what the weights were set on; `heldout` was never tuned on. The
targets of the prompt-firewall issue are >= 90% of attacks blocked with <= 2% of benign
texts blocked; both splits meet them (bench/bench_guard_injection.py prints the
figures). `heldout` was evaluated after the choices were made on `dev`; the tests keep
what was reached from regressing, they are not a reason to tune on it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from vasini_guard.injection import InjectionDetector

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DETECTOR = InjectionDetector()


def rows() -> list[dict[str, Any]]:
    found = []
    for name in ("attacks", "benign"):
        with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as lines:
            found += [json.loads(line) for line in lines if line.strip()]
    return found


ROWS = rows()


def blocked_share(label: str, split: str) -> float:
    texts = [row["text"] for row in ROWS if row["label"] == label and row["split"] == split]
    return sum(DETECTOR.assess(text).verdict == "block" for text in texts) / len(texts)


def test_injection_corpus_is_well_formed_and_large_enough() -> None:
    labels = Counter(row["label"] for row in ROWS)

    assert set(ROWS[0]) == {"id", "text", "label", "family", "split"}
    assert all(set(row) == set(ROWS[0]) for row in ROWS)
    assert len({row["id"] for row in ROWS}) == len(ROWS)
    assert len({row["text"] for row in ROWS}) == len(ROWS)
    assert labels["attack"] >= 250
    assert labels["benign"] >= 400
    assert {row["split"] for row in ROWS} == {"dev", "heldout"}


def test_injection_corpus_splits_every_family() -> None:
    splits: dict[tuple[str, str], set[str]] = {}
    for row in ROWS:
        splits.setdefault((row["label"], row["family"]), set()).add(row["split"])

    assert all(found == {"dev", "heldout"} for found in splits.values()), splits


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_injection_corpus_benign_block_rate_is_at_most_two_percent(split: str) -> None:
    assert blocked_share("benign", split) <= 0.02


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_injection_corpus_attacks_are_blocked_at_ninety_percent(split: str) -> None:
    assert blocked_share("attack", split) >= 0.9
