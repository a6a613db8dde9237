"""Retrain the learned vocabulary signal on this corpus's `dev` rows and write the
weights the package ships (`vasini_guard/injection_model.json`; a unit test fails while
they differ from what training gives)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vasini_guard.injection_model import WEIGHTS_FILE, train_from_corpus


def main() -> int:
    weights = train_from_corpus(Path(__file__).resolve().parent)
    WEIGHTS_FILE.write_text(json.dumps(weights, ensure_ascii=False, indent=0) + "\n")
    sys.stdout.write(f"{len(weights)} weights -> {WEIGHTS_FILE}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
