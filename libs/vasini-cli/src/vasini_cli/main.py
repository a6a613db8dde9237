"""Entry point of the `vasini` command.

Each module in `vasini_cli.commands` contributes one top-level command through a
`register(subparsers)` function; the chosen parser carries a `run(args) -> int`
callable in its defaults, so this file never grows with the commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES: tuple[str, ...] = (
    "vasini_cli.commands.approvals",
    "vasini_cli.commands.dlq",
    "vasini_cli.commands.guard",
    "vasini_cli.commands.pack",
    "vasini_cli.commands.run",
    "vasini_cli.commands.sandbox",
    "vasini_cli.commands.tenant",
    "vasini_cli.commands.up",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vasini", description="Vasini agent platform tools.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
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
