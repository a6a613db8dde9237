"""`vasini pack validate|show|prompt|digest`: the pack author's tools.

Exit codes: 0 when every pack is valid, 1 when any pack has problems (each printed
with file:line:column, the path inside the layer and a fix), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from vasini_cli.main import COMMANDS
from vasini_packs import (
    MANIFEST_FILE,
    ComposedPack,
    Report,
    build_prompt,
    check_pack,
    pack_digest,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pack = subparsers.add_parser(
        "pack",
        help=COMMANDS["pack"],
        description="Validate profession packs and see what they compose to.",
    )
    actions = pack.add_subparsers(dest="pack_command", metavar="ACTION", required=True)

    validate = actions.add_parser(
        "validate",
        help="validate pack folders and report every problem",
        description="Validate one or more pack folders. Plain files and folders whose "
        "name starts with `_` (shared layers) are skipped, so `packs/*` works.",
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="pack folders")
    validate.add_argument("--json", action="store_true", help="print one JSON document")
    _shared_roots(validate)
    validate.set_defaults(run=run_validate)

    show = actions.add_parser("show", help="print the resolved layers (defaults applied)")
    show.add_argument("path", type=Path, metavar="PATH", help="a pack folder")
    show.add_argument("--json", action="store_true", help="JSON instead of YAML")
    _shared_roots(show)
    show.set_defaults(run=run_show)

    prompt = actions.add_parser("prompt", help="print the system prompt the pack builds")
    prompt.add_argument("path", type=Path, metavar="PATH", help="a pack folder")
    _shared_roots(prompt)
    prompt.set_defaults(run=run_prompt)

    digest = actions.add_parser("digest", help="print the pack's canonical sha256 digest")
    digest.add_argument("path", type=Path, metavar="PATH", help="a pack folder")
    _shared_roots(digest)
    digest.set_defaults(run=run_digest)


def _shared_roots(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shared-root",
        dest="shared_roots",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="another folder `extends:` may read from (the pack's sibling _shared/ always is)",
    )


def run_validate(args: argparse.Namespace) -> int:
    reports: list[Report] = []
    skipped: list[str] = []
    for path in args.paths:
        if _is_skipped(path):
            skipped.append(str(path))
            continue
        reports.append(check_pack(_pack_folder(path), args.shared_roots))
        if not args.json:
            _print_report(reports[-1])
    invalid = sum(1 for report in reports if not report.ok)
    if args.json:
        print(json.dumps(_validation_json(reports, skipped), indent=2))
    else:
        for path in skipped:
            print(f"skipped {path} (not a pack folder)")
        print(f"{len(reports)} pack(s): {len(reports) - invalid} valid, {invalid} invalid")
    if not reports:
        print("no pack folders among the given paths", file=sys.stderr)
        return 1
    return 1 if invalid else 0


def _prints(
    render: Callable[[ComposedPack, argparse.Namespace], str],
) -> Callable[[argparse.Namespace], int]:
    """A command that loads one pack and prints `render(pack, args)`, or its problems."""

    def run(args: argparse.Namespace) -> int:
        pack = _load_or_report(args)
        if pack is None:
            return 1
        print(render(pack, args), end="")
        return 0

    return run


def _show(pack: ComposedPack, args: argparse.Namespace) -> str:
    resolved = pack.resolved()
    if args.json:
        return json.dumps(resolved, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True, width=100)


run_show = _prints(_show)
run_prompt = _prints(lambda pack, _: build_prompt(pack))
run_digest = _prints(lambda pack, _: pack_digest(pack) + "\n")


def _is_skipped(path: Path) -> bool:
    """Plain files (a README next to the packs) and `_shared`-style folders are not
    packs; a folder with a manifest always is, whatever its name."""
    if path.is_dir():
        return path.name.startswith("_") and not (path / MANIFEST_FILE).is_file()
    return path.exists() and path.name != MANIFEST_FILE


def _pack_folder(path: Path) -> Path:
    """A pack is named by its folder; its manifest's path means the same pack."""
    return path.parent if path.name == MANIFEST_FILE and path.is_file() else path


def _load_or_report(args: argparse.Namespace) -> ComposedPack | None:
    report = check_pack(_pack_folder(args.path), args.shared_roots)
    if report.pack is None:
        for problem in report.problems:
            print(problem.render(), file=sys.stderr)
        print(f"{args.path}: {len(report.problems)} problem(s)", file=sys.stderr)
    return report.pack


def _print_report(report: Report) -> None:
    if report.pack is not None:
        pack = report.pack
        print(f"ok      {report.path}  {pack.pack_id} {pack.version}  {pack_digest(pack)}")
        return
    print(f"invalid {report.path}  {len(report.problems)} problem(s)")
    for problem in report.problems:
        print("  " + problem.render().replace("\n", "\n  "))


def _validation_json(reports: list[Report], skipped: list[str]) -> dict[str, Any]:
    return {
        "packs": [
            {
                "path": str(report.path),
                "valid": report.ok,
                "pack_id": report.pack.pack_id if report.pack else None,
                "version": report.pack.version if report.pack else None,
                "digest": pack_digest(report.pack) if report.pack else None,
                "problems": [problem.as_dict() for problem in report.problems],
            }
            for report in reports
        ],
        "skipped": skipped,
        "valid": sum(1 for report in reports if report.ok),
        "invalid": sum(1 for report in reports if not report.ok),
    }
