"""`vasini guard scan`: the prompt firewall over JSON lines, as policy runs it.

Reads one JSON object per line on standard input, `{"id": ..., "text": "...",
"direction": "input" | "output"}` (`direction` optional), and writes one JSON line per
input line, in order, as soon as that line is scanned (it streams; blank lines are
skipped):

    {"id", "verdict", "score", "reasons", "findings": [{"kind", "type", "start", "end"}],
     "sanitized"}

Spans count the characters (Unicode code points) of `text`. A line that is not a JSON
object with a string `text` gives `{"id", "line", "error"}` and the scan goes on.
Exit codes: 0 every line was scanned, 1 some line was bad, 2 bad usage (a
`--guardrails` file that cannot be read or is not a GUARDRAILS layer, or a pack folder
that is not valid).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, BinaryIO, get_args

from pydantic import ValidationError

from vasini_cli.main import COMMANDS
from vasini_guard.firewall import Direction, ScanResult, scan
from vasini_packs import PackInvalid, load_pack
from vasini_packs.models import Guardrails
from vasini_packs.yaml_reader import read_yaml

DIRECTIONS: tuple[str, ...] = get_args(Direction)


class _BadLine(ValueError):
    """An input line that cannot be scanned: why, and its `id` if it has one."""

    def __init__(self, reason: str, line_id: Any = None) -> None:
        super().__init__(reason)
        self.line_id = line_id


class _BadGuardrails(ValueError):
    """A `--guardrails` file that cannot be used; the message says why."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    guard = subparsers.add_parser(
        "guard",
        help=COMMANDS["guard"],
        description="The prompt firewall policy runs on inputs and outputs: injection "
        "and jailbreak detection, personal data and credentials.",
    )
    actions = guard.add_subparsers(dest="guard_command", metavar="ACTION", required=True)
    scanner = actions.add_parser(
        "scan",
        help="scan JSON lines from stdin and print one verdict per line",
        description='Read JSON lines {"id", "text", "direction"?} on stdin; print one '
        'JSON line per input: {"id", "verdict", "score", "reasons", "findings", '
        '"sanitized"}, or {"id", "line", "error"} for a bad line. Exit 0 all lines '
        "scanned, 1 some line was bad, 2 bad usage.",
    )
    scanner.add_argument(
        "--guardrails",
        type=Path,
        metavar="PATH",
        help="a GUARDRAILS layer file, or a pack folder (its composed GUARDRAILS, "
        "extends resolved), whose input/output rules decide (default: attacks block, "
        "personal data and credentials warn)",
    )
    scanner.add_argument(
        "--direction",
        choices=DIRECTIONS,
        default="input",
        help="the rules for lines without a `direction` of their own (default: input)",
    )
    scanner.set_defaults(run=run_scan)


def run_scan(args: argparse.Namespace) -> int:
    try:
        guardrails = _guardrails(args.guardrails) if args.guardrails else None
    except _BadGuardrails as exc:
        print(f"error: --guardrails {exc}", file=sys.stderr)
        return 2
    try:
        any_bad = _scan_lines(sys.stdin.buffer, sys.stdout.buffer, args.direction, guardrails)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from
        # complaining when it flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 1 if any_bad else 0


def _scan_lines(
    lines: BinaryIO, out: BinaryIO, direction: str, guardrails: Guardrails | None
) -> bool:
    """Scan every line of `lines` onto `out`; whether any line was bad."""
    any_bad = False
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = _scanned_line(raw, direction, guardrails)
        except _BadLine as exc:
            any_bad = True
            record = {"id": exc.line_id, "line": number, "error": str(exc)}
        out.write(_encode(record))
        out.flush()  # a reader waiting for this line's verdict gets it now
    return any_bad


def _scanned_line(raw: bytes, default_direction: str, guardrails: Guardrails | None) -> Any:
    try:
        item = json.loads(raw)
    except ValueError as exc:  # also bytes that are not UTF-8
        raise _BadLine(f"not JSON ({exc})") from exc
    if not isinstance(item, dict):
        raise _BadLine("not a JSON object")
    line_id, text = item.get("id"), item.get("text")
    if not isinstance(text, str):
        raise _BadLine("`text` is missing or not a string", line_id)
    direction = item.get("direction", default_direction)
    if direction not in DIRECTIONS:
        raise _BadLine(f"`direction` must be one of {', '.join(DIRECTIONS)}", line_id)
    return {"id": line_id, **_result(scan(text, direction=direction, guardrails=guardrails))}


def _result(result: ScanResult) -> dict[str, Any]:
    return {
        "verdict": result.verdict,
        "score": result.score,
        "reasons": list(result.reasons),
        "findings": [
            {"kind": f.kind, "type": f.type, "start": f.start, "end": f.end}
            for f in result.findings
        ],
        "sanitized": result.sanitized,
    }


def _encode(record: Any) -> bytes:
    """One JSON line, in UTF-8 as it reads; escaped to ASCII if the text holds lone
    surrogates (valid in JSON, not encodable in UTF-8)."""
    try:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode()
    except UnicodeEncodeError:
        return (json.dumps(record) + "\n").encode()


def _guardrails(path: Path) -> Guardrails:
    try:
        if path.is_dir():
            return load_pack(path).guardrails
        return Guardrails.model_validate(read_yaml(path, str(path)).data)
    except PackInvalid as exc:
        problem = exc.problems[0]
        raise _BadGuardrails(f"{problem.origin.render()}: {problem.message}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the file"
        raise _BadGuardrails(f"{path}: not a GUARDRAILS layer: {where}: {first['msg']}") from exc
