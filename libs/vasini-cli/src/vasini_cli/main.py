"""Entry point of the `vasini` command.

Each module in `vasini_cli.commands` contributes the top-level command of its own name
through a `register(subparsers)` function; the chosen parser carries a
`run(args) -> int` callable in its defaults, so this file never grows with the
commands. Only the module of the command asked for is imported (some pull in
SQLAlchemy, the firewall or the embedded servers); the top-level help imports all.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: tuple[str, ...] = ("approvals", "dlq", "guard", "pack", "run", "sandbox", "tenant", "up")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: with just its command when it names one, else all."""
    parser = argparse.ArgumentParser(prog="vasini", description="Vasini agent platform tools.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    first = next((arg for arg in argv or () if not arg.startswith("-")), None)
    for command in (first,) if first in COMMANDS else COMMANDS:
        importlib.import_module(f"vasini_cli.commands.{command}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
