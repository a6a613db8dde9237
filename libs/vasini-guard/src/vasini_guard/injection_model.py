"""A learned signal: how much a text's words and word pairs look like the corpus's
attacks rather than its benign traffic (naive Bayes log-count ratios).

The rules recognise phrasings; this recognises vocabulary, including phrasings no rule
was written for. It is trained on the `dev` split only (`train_from_corpus`; the weights
ship as `injection_model.json`, and a test keeps the file equal to what training on
`dev` gives), over the same skeleton the rules match on.

A text's score is the sum of the weights of its distinct features over the square root
of their number: long texts do not add up to a high score from many weak words, and a
few strong ones still stand out; a text with fewer than `MIN_FEATURES` weighted features
scores 0. Features seen in fewer than two `dev` texts have no weight. The detector asks
for it about every text the rules do not block (`learned_weight`): at `LEARNED_AT` it
blocks the text. The threshold and the minimum were chosen by 10-fold cross-validation
on `dev` (docs/adr/0008): since the sixth batch no benign `dev` text scores above 3.04
out of fold (one with a weak rule signal), and none without a rule signal above 2.73,
so 3.25 blocks none of them, half a point above most.

Retrain after the corpus changed: `uv run python libs/vasini-guard/corpus/retrain.py`.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from vasini_guard.normalise import skeleton_with_offsets

LEARNED_AT = 3.25
LEARNED_WEIGHT = 0.8  # a block on its own
MIN_FEATURES = 20
_MIN_TEXTS = 2  # a feature needs this many dev texts to get a weight
_SMOOTHING = 1.0  # Laplace
WEIGHTS_FILE = Path(__file__).with_name("injection_model.json")
_WORD = re.compile(r"[^\W_]+")


def features(skeleton: str) -> set[str]:
    """The distinct words and adjacent word pairs of a skeleton."""
    words = _WORD.findall(skeleton)
    return {*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))}


def score(weights: dict[str, float], skeleton: str) -> float:
    """0 for a text with fewer than `MIN_FEATURES` weighted features: a few words are
    the rules' to judge ("from now on, you answer as a pirate" shares its vocabulary
    with DAN prompts)."""
    known = [weights[f] for f in features(skeleton) if f in weights]
    return sum(known) / math.sqrt(len(known)) if len(known) >= MIN_FEATURES else 0.0


def learned_weight(vocabulary: float) -> float:
    """What a text whose `score` is `vocabulary` gains."""
    return LEARNED_WEIGHT if vocabulary >= LEARNED_AT else 0.0


def train(texts: Iterable[tuple[str, bool]]) -> dict[str, float]:
    """Weights from (text, is_attack) pairs: log P(feature | attack) - log P(feature |
    benign), per text containing it, smoothed; rounded so the file is stable."""
    attacks, benign = Counter[str](), Counter[str]()
    n_attacks = n_benign = 0
    for text, is_attack in texts:
        found = features(skeleton_with_offsets(text)[0])
        if is_attack:
            attacks.update(found)
            n_attacks += 1
        else:
            benign.update(found)
            n_benign += 1
    weights = {}
    for feature in sorted(attacks.keys() | benign.keys()):
        if attacks[feature] + benign[feature] < _MIN_TEXTS:
            continue
        in_attacks = (attacks[feature] + _SMOOTHING) / (n_attacks + 2 * _SMOOTHING)
        in_benign = (benign[feature] + _SMOOTHING) / (n_benign + 2 * _SMOOTHING)
        weights[feature] = round(math.log(in_attacks) - math.log(in_benign), 4)
    return weights


def train_from_corpus(corpus: Path) -> dict[str, float]:
    """Train on the `dev` rows of the corpus (attacks.jsonl, benign.jsonl); never on
    `heldout`, which measures what this does on texts it has not seen."""
    rows = [
        json.loads(line)
        for name in ("attacks.jsonl", "benign.jsonl")
        for line in (corpus / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return train((row["text"], row["label"] == "attack") for row in rows if row["split"] == "dev")


@cache
def shipped_weights() -> dict[str, float]:
    """The weights in the package, read on first use."""
    weights: dict[str, float] = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return weights
