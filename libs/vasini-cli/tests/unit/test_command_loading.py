"""`vasini <command>` loads only that command; the overview still lists them all."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from vasini_cli.main import COMMANDS, build_parser


def loaded_after(argv: list[str]) -> set[str]:
    """Top-level modules imported by building the parser for `argv` (a fresh process)."""
    script = (
        "import sys; from vasini_cli.main import build_parser; "
        f"build_parser({argv!r}); print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_a_command_loads_only_its_own_module() -> None:
    loaded = loaded_after(["pack", "validate", "packs/bench-echo"])

    assert "vasini_cli.commands.pack" in loaded
    assert {"vasini_cli.commands.up", "vasini_cli.commands.dlq", "sqlalchemy"}.isdisjoint(loaded)


def test_the_overview_lists_every_command_without_loading_any(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        build_parser(["--help"]).parse_args(["--help"])

    overview = capsys.readouterr().out
    assert all(f"    {command}" in overview for command in COMMANDS)
    assert not {name for name in loaded_after(["--help"]) if name.startswith("vasini_cli.comm")}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_overview_summary_is_what_the_command_registers(command: str) -> None:
    subparsers = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(f"vasini_cli.commands.{command}").register(subparsers)

    (registered,) = subparsers._choices_actions  # one (name, help) entry per command
    assert (registered.dest, registered.help) == (command, COMMANDS[command])


def test_an_unknown_command_names_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser(["nope"]).parse_args(["nope"])

    assert exit_.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
