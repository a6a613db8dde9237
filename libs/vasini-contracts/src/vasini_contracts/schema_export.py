"""Write (or check) `schemas/events/`: one JSON Schema per event type, plus the envelope.

python -m vasini_contracts.schema_export            # regenerate (make schemas)
python -m vasini_contracts.schema_export --check    # exit 1 when files drifted
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vasini_contracts.catalog import json_schemas
from vasini_contracts.envelope import CloudEvent

ENVELOPE_FILE = "envelope.json"


def rendered_schemas() -> dict[str, str]:
    """File name -> exact file content, deterministic across machines and runs."""
    documents: dict[str, dict[str, Any]] = {
        f"{event_type}.json": {"$id": event_type, **schema}
        for event_type, schema in json_schemas().items()
    }
    documents[ENVELOPE_FILE] = CloudEvent.model_json_schema(mode="validation")
    return {
        name: json.dumps(
            {"$schema": "https://json-schema.org/draft/2020-12/schema", **doc},
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
        )
        + "\n"
        for name, doc in sorted(documents.items())
    }


def drift(out_dir: Path) -> list[str]:
    """Human-readable differences between `out_dir` and the models (empty = in sync)."""
    expected = rendered_schemas()
    present = {p.name for p in out_dir.glob("*.json")} if out_dir.is_dir() else set()
    problems = [f"missing: {name}" for name in sorted(expected.keys() - present)]
    problems += [f"not in the catalog: {name}" for name in sorted(present - expected.keys())]
    problems += [
        f"out of date: {name}"
        for name in sorted(expected.keys() & present)
        if (out_dir / name).read_text(encoding="utf-8") != expected[name]
    ]
    return problems


def write(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    expected = rendered_schemas()
    for stale in {p.name for p in out_dir.glob("*.json")} - expected.keys():
        (out_dir / stale).unlink()
    for name, content in expected.items():
        (out_dir / name).write_text(content, encoding="utf-8")
    return len(expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("schemas/events"))
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = drift(args.out)
        for problem in problems:
            print(f"{args.out}: {problem}", file=sys.stderr)  # noqa: T201 - a CLI
        if problems:
            print("run `make schemas` to regenerate", file=sys.stderr)  # noqa: T201
        return 1 if problems else 0
    count = write(args.out)
    print(f"wrote {count} schemas to {args.out}")  # noqa: T201 - a CLI
    return 0


if __name__ == "__main__":
    sys.exit(main())
