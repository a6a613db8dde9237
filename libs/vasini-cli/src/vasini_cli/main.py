"""Entry point of the `vasini` command.

Each module in `vasini_cli.commands` contributes the top-level command of its own name
through a `register(subparsers)` function; the chosen parser carries a
`run(args) -> int` callable in its defaults, so this file never grows with the
commands. Only the module of the command asked for is imported (some pull in
SQLAlchemy, the firewall or the embedded servers, seconds of imports); the overview
(`vasini --help`, an unknown command) imports none and lists the one-line summaries of
`COMMANDS`, which each module also registers as its `help=`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each command and its one-line summary (the `help=` its module registers).
COMMANDS: dict[str, str] = {
    "approvals": "list and decide tool calls that wait for a person",
    "dlq": "list and replay dead-lettered events of a service",
    "guard": "run the prompt firewall on texts",
    "pack": "validate, inspect and digest profession packs",
    "run": "run a pack on a task and follow it live",
    "sandbox": "run built-in tools through the sandbox locally",
    "tenant": "manage tenants (admin key)",
    "up": "start the dev stack: embedded PostgreSQL (pgvector) and Valkey",
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: its command's when it names one, else the overview."""
    parser = argparse.ArgumentParser(prog="vasini", description="Vasini agent platform tools.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    first = next((arg for arg in argv or () if not arg.startswith("-")), None)
    if first in COMMANDS:
        importlib.import_module(f"vasini_cli.commands.{first}").register(subparsers)
    else:
        for command, summary in COMMANDS.items():
            subparsers.add_parser(command, help=summary)
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
