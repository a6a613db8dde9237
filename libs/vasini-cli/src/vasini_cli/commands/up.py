"""`vasini up`: the dev stack — embedded PostgreSQL (pgvector) and Valkey, no Docker,
and every service of the run pipeline as its own process.

The servers are real (PyPI wheels) and keep their data under `--data-dir` between
runs. The services run migrations, ingress serves the API on `--port`, a `dev` tenant
gets an API key, and everything stops on Ctrl-C. The settings are printed and written
to `<data-dir>/env`, which `vasini run` and `vasini tenant` read.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

import asyncpg

from vasini_chassis.db.roles import provision_app_role
from vasini_chassis.embedded import start_postgres, start_valkey
from vasini_cli.api_client import ApiClient, ApiError
from vasini_cli.commands.run import follow
from vasini_cli.main import COMMANDS
from vasini_cli.stack import (
    SERVICES,
    ServiceStack,
    StackError,
    StackSettings,
    admin_key,
    free_port,
    tiers_json,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    up = subparsers.add_parser(
        "up",
        help=COMMANDS["up"],
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
    up.add_argument("--port", type=int, default=8080, help="ingress HTTP port (8080; 0 = any free)")
    up.add_argument(
        "--packs-dir", type=Path, default=Path("packs"), help="packs the composer serves (packs/)"
    )
    up.add_argument(
        "--database-url",
        help="use this PostgreSQL (a URL that may create roles and schemas), start none",
    )
    up.add_argument("--redis-url", help="use this Redis/Valkey instead of starting one")
    up.add_argument(
        "--servers-only", action="store_true", help="start PostgreSQL and Valkey, no services"
    )
    up.add_argument(
        "--model",
        default="scripted:answer",
        help="model of every tier (scripted:answer; scripted:tools calls the pack's tools)",
    )
    up.add_argument(
        "--run",
        dest="run_task",
        nargs=2,
        metavar=("PACK", "INPUT"),
        help="once the stack is up, run PACK on INPUT and print the answer",
    )
    up.set_defaults(run=run_up)


def _env_lines(admin_url: str, app_url: str, redis_url: str) -> list[str]:
    return [
        f"export VASINI_DATABASE_ADMIN_URL='{admin_url}'",
        f"export VASINI_DATABASE_URL='{app_url}'",
        f"export VASINI_REDIS_URL='{redis_url}'",
    ]


def run_up(args: argparse.Namespace) -> int:
    data_dir: Path = args.data_dir.resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"error: cannot use data directory {data_dir}: {exc.strerror}", file=sys.stderr)
        return 1
    with ExitStack() as servers:
        admin_url = args.database_url
        if admin_url is None:
            print(f"starting PostgreSQL (data in {data_dir / 'postgres'}) ...", file=sys.stderr)
            postgres = start_postgres(data_dir / "postgres", keep=True)
            servers.callback(postgres.stop)
            admin_url = postgres.url
        redis_url = args.redis_url
        if redis_url is None:
            print("starting Valkey ...", file=sys.stderr)
            valkey = start_valkey(data_dir / "valkey", appendonly=True)
            servers.callback(valkey.stop)
            redis_url = valkey.url
        servers.callback(print, "dev stack stopped", file=sys.stderr)
        try:
            app_url = asyncio.run(provision_app_role(admin_url))
        except (OSError, asyncpg.PostgresError) as exc:
            print(f"error: cannot prepare the database at {admin_url}: {exc}", file=sys.stderr)
            return 1
        lines = _env_lines(admin_url, app_url, redis_url)
        if args.servers_only:
            return _serve(args, data_dir, lines)
        return _with_services(
            args, data_dir, lines, admin_url=admin_url, app_url=app_url, redis_url=redis_url
        )


def _with_services(
    args: argparse.Namespace,
    data_dir: Path,
    lines: list[str],
    *,
    admin_url: str,
    app_url: str,
    redis_url: str,
) -> int:
    packs_dir = args.packs_dir.resolve()
    if not packs_dir.is_dir():
        print(f"error: no packs folder at {packs_dir} (use --packs-dir)", file=sys.stderr)
        return 1
    settings = StackSettings(
        database_url=app_url,
        database_admin_url=admin_url,
        redis_url=redis_url,
        data_dir=data_dir,
        packs_dir=packs_dir,
        port=args.port or free_port(),
        llm_tiers_json=tiers_json(args.model),
    )
    stack = ServiceStack(settings)
    print(f"starting {', '.join(SERVICES)} (logs in {data_dir / 'logs'}) ...", file=sys.stderr)
    try:
        stack.start()
        api_key = asyncio.run(_dev_tenant_key(settings.api_url, admin_key(data_dir), data_dir))
        lines = [
            *lines,
            f"export VASINI_API_URL='{settings.api_url}'",
            f"export VASINI_API_KEY='{api_key}'",
            f"export VASINI_ADMIN_KEY='{admin_key(data_dir)}'",
        ]
        print(f"ingress: {settings.api_url}  (OpenAPI at {settings.api_url}/docs)", file=sys.stderr)
        print(f"sandbox: {stack.isolation()}  ({settings.isolation_url})", file=sys.stderr)
        code = _serve(args, data_dir, lines, api=(settings.api_url, api_key))
    except (StackError, ApiError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = 1
    finally:
        print("stopping services ...", file=sys.stderr)
        stack.stop()
    return code


def _serve(
    args: argparse.Namespace,
    data_dir: Path,
    lines: list[str],
    api: tuple[str, str] | None = None,
) -> int:
    (data_dir / "env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data_dir / "env").chmod(0o600)
    print("\n".join(lines))
    print(f"\nsettings written to {data_dir / 'env'} (source it in another shell)", file=sys.stderr)
    code = 0
    if args.run_task and api is not None:
        pack, text = args.run_task
        print(f"\n$ vasini run {pack} {text!r}", file=sys.stderr)
        code = asyncio.run(follow(ApiClient(*api), pack, text))
    if not args.check:
        print('\nmore runs: vasini run senior-python-dev "your task"', file=sys.stderr)
        _wait_for_interrupt()
    return code


async def _dev_tenant_key(api_url: str, admin: str, data_dir: Path) -> str:
    """The `dev` tenant's key, created on the first `vasini up` and kept in the data dir."""
    stored = data_dir / "api_key"
    if stored.exists():
        return stored.read_text(encoding="utf-8").strip()
    async with ApiClient(api_url, admin) as client:
        created = await client.create_tenant("dev")
    stored.write_text(created["api_key"] + "\n", encoding="utf-8")
    stored.chmod(0o600)
    return str(created["api_key"])


def _wait_for_interrupt() -> None:
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    print("press Ctrl-C to stop", file=sys.stderr)
    stopped.wait()
