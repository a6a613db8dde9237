"""Fixtures shared by the guard's unit tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    """Every text of the labelled corpus, attacks then benign, both splits."""
    texts = []
    for name in ("attacks", "benign"):
        with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts
