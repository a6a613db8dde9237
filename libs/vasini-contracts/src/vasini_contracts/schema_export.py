"""Write (or check) `schemas/events/`: one JSON Schema per event type, plus the envelope.

    python -m vasini_contracts.schema_export             # regenerate (make schemas)
    python -m vasini_contracts.schema_export --check     # exit 1 when the files drifted
    python -m vasini_contracts.schema_export --out DIR   # another directory

Without `--out` the directory is `schemas/events/` of the repository that contains the
current directory (the nearest ancestor holding `libs/vasini-contracts`).

Every file is a JSON Schema (draft 2020-12) with sorted keys and a trailing newline, so
the output is byte-for-byte the same on every machine. `envelope.json` describes a whole
stream entry value: it checks the envelope attributes and, by `type`, points `data` at
that type's file, so a producer in any language can validate a message with it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vasini_contracts.catalog import json_schemas
from vasini_contracts.codec import ENTRY_FIELD, MAX_ENTRY_BYTES
from vasini_contracts.envelope import CloudEvent

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_FILE = "envelope.json"
GENERATED = (
    "Generated from vasini_contracts by `python -m vasini_contracts.schema_export` "
    "(make schemas). Do not edit; a test fails when it drifts from the models."
)

ENVELOPE_ATTRIBUTES: dict[str, str] = {
    "specversion": "CloudEvents version; always 1.0.",
    "id": "UUID of this event, unique per event; consumers deduplicate on it.",
    "source": "Producer: /vasini/<service>, e.g. /vasini/ingress.",
    "type": "Event type ai.vasini.<area>.<event>.v<N>; also the stream key.",
    "time": "When the event happened: RFC 3339 with an offset, e.g. 2026-11-25T10:00:00Z.",
    "subject": "What the event is about, e.g. run/<run_id>.",
    "datacontenttype": "Always application/json (structured mode).",
    "tenantid": "Extension: the tenant the event belongs to.",
    "traceparent": "Extension: W3C trace context 00-<32 hex trace id>-<16 hex span id>-<flags>.",
    "correlationid": "Extension: the run id, shared by every event of one run.",
    "data": "The payload, valid against the JSON Schema of `type` (<type>.json).",
}


def _envelope_schema(event_types: list[str]) -> dict[str, Any]:
    schema = CloudEvent.model_json_schema(mode="validation")
    properties: dict[str, dict[str, Any]] = schema["properties"]
    missing = properties.keys() ^ ENVELOPE_ATTRIBUTES.keys()
    if missing:  # the envelope changed: document the attribute here
        raise RuntimeError(f"envelope attributes without a description: {sorted(missing)}")
    for name, text in ENVELOPE_ATTRIBUTES.items():
        properties[name]["description"] = text
    schema["description"] = (
        f"A Vasini event: a CloudEvent 1.0 in structured JSON mode, the value of the "
        f"'{ENTRY_FIELD}' field of one Redis stream entry (at most {MAX_ENTRY_BYTES} bytes). "
        "Unknown attributes are refused; unknown fields inside data are ignored."
    )
    schema["allOf"] = [
        {
            "if": {"properties": {"type": {"const": event_type}}, "required": ["type"]},
            "then": {"properties": {"data": {"$ref": f"{event_type}.json"}}},
        }
        for event_type in event_types
    ]
    return schema


def rendered_schemas() -> dict[str, str]:
    """File name -> exact file content, deterministic across machines and runs."""
    schemas = json_schemas()
    documents: dict[str, dict[str, Any]] = {
        f"{event_type}.json": {
            "$id": f"{event_type}.json",
            "x-vasini-event-type": event_type,
            **schema,
        }
        for event_type, schema in schemas.items()
    }
    documents[ENVELOPE_FILE] = {"$id": ENVELOPE_FILE, **_envelope_schema(sorted(schemas))}
    return {
        name: json.dumps(
            {"$schema": DRAFT, "$comment": GENERATED, **doc},
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
    """Make `out_dir` hold exactly the generated files; returns how many."""
    out_dir.mkdir(parents=True, exist_ok=True)
    expected = rendered_schemas()
    for stale in {p.name for p in out_dir.glob("*.json")} - expected.keys():
        (out_dir / stale).unlink()
    for name, content in expected.items():
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8", newline="\n")
    return len(expected)


def default_out_dir(start: Path) -> Path:
    """`schemas/events` of the repository containing `start`."""
    for directory in (start, *start.parents):
        if (directory / "libs" / "vasini-contracts").is_dir():
            return directory / "schemas" / "events"
    raise FileNotFoundError(f"no Vasini repository (libs/vasini-contracts) above {start}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vasini_contracts.schema_export",
        description="Generate the JSON Schemas of the Vasini event catalog.",
    )
    parser.add_argument(
        "--out", type=Path, help="target directory (default: <repo>/schemas/events)"
    )
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    if args.out is not None:
        out_dir: Path = args.out
    else:
        try:
            out_dir = default_out_dir(Path.cwd().resolve())
        except FileNotFoundError as exc:
            parser.error(f"{exc}; pass --out DIR")
    if args.check:
        problems = drift(out_dir)
        for problem in problems:
            print(f"{out_dir}: {problem}", file=sys.stderr)  # noqa: T201 - a CLI
        if problems:
            print("run `make schemas` to regenerate", file=sys.stderr)  # noqa: T201
            return 1
        print(f"{out_dir}: {len(rendered_schemas())} schemas up to date")  # noqa: T201
        return 0
    count = write(out_dir)
    print(f"wrote {count} schemas to {out_dir}")  # noqa: T201 - a CLI
    return 0


if __name__ == "__main__":
    sys.exit(main())
