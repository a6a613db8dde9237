"""`vasini up`: the dev stack — embedded PostgreSQL (pgvector) and Valkey, no Docker.

Both servers are real (PyPI wheels), keep their data under `--data-dir` between runs,
and stop on Ctrl-C. The connection settings are printed and written to
`<data-dir>/env` so services started in another shell can `source` them.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
from pathlib import Path

from vasini_chassis.db.roles import provision_app_role
from vasini_chassis.embedded import EmbeddedPostgres, EmbeddedValkey, start_postgres, start_valkey


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    up = subparsers.add_parser(
        "up",
        help="start the dev stack: embedded PostgreSQL (pgvector) and Valkey",
        description=(
            "Start a real PostgreSQL with pgvector and a real Valkey from PyPI wheels, "
            "create the application role, print the connection settings and keep "
            "running until Ctrl-C. Data persists in --data-dir."
        ),
    )
    up.add_argument(
        "--data-dir", type=Path, default=Path(".vasini"), help="where data lives (.vasini)"
    )
    up.add_argument(
        "--check",
        action="store_true",
        help="start, verify, print the settings, then stop (for scripts and CI)",
    )
    up.set_defaults(run=run_up)


def _env_lines(postgres: EmbeddedPostgres, app_url: str, valkey: EmbeddedValkey) -> list[str]:
    return [
        f"export VASINI_DATABASE_ADMIN_URL='{postgres.url}'",
        f"export VASINI_DATABASE_URL='{app_url}'",
        f"export VASINI_REDIS_URL='{valkey.url}'",
    ]


def run_up(args: argparse.Namespace) -> int:
    data_dir: Path = args.data_dir.resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: cannot use data directory {data_dir}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"starting PostgreSQL (data in {data_dir / 'postgres'}) ...", file=sys.stderr)
    postgres = start_postgres(data_dir / "postgres", keep=True)
    try:
        app_url = asyncio.run(provision_app_role(postgres.url))
        print("starting Valkey ...", file=sys.stderr)
        valkey = start_valkey(data_dir / "valkey", appendonly=True)
        try:
            lines = _env_lines(postgres, app_url, valkey)
            (data_dir / "env").write_text("\n".join(lines) + "\n", encoding="utf-8")
            print("\n".join(lines))
            print(
                f"\ndev stack up; settings written to {data_dir / 'env'} "
                f"(source it in another shell).\nThe run pipeline services are not built "
                f"yet (issue #4): this starts the servers they will use.",
                file=sys.stderr,
            )
            if not args.check:
                _wait_for_interrupt()
        finally:
            valkey.stop()
    finally:
        postgres.stop()
    print("dev stack stopped", file=sys.stderr)
    return 0


def _wait_for_interrupt() -> None:
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    print("press Ctrl-C to stop", file=sys.stderr)
    stopped.wait()
