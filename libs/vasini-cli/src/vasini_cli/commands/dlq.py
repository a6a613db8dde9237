"""`vasini dlq list|replay`: inspect and replay a service's dead letters.

Dead letters live in the `dead_letter` table of the service's own schema; replay puts
the original entry back on its stream through that service's outbox, so the running
relay publishes it and consumers that already handled it skip it via their inbox.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from vasini_chassis.db.engine import Database
from vasini_chassis.errors import ChassisError
from vasini_chassis.messaging.deadletter import list_dead_letters, replay_dead_letters
from vasini_cli.main import COMMANDS

T = TypeVar("T")
_URL_ENV = ("VASINI_DATABASE_URL", "VASINI_DATABASE_ADMIN_URL")


class _Failed(Exception):
    """A user-facing failure: printed as one line, exit code 1."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dlq = subparsers.add_parser(
        "dlq",
        help=COMMANDS["dlq"],
        description="List and replay the entries a service's consumer gave up on.",
    )
    actions = dlq.add_subparsers(dest="dlq_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="list dead letters, oldest first")
    _common(listing)
    listing.add_argument("--all", action="store_true", help="include already replayed ones")
    listing.add_argument("--limit", type=int, default=100, help="at most this many (100)")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(run=run_list)

    replay = actions.add_parser("replay", help="publish dead letters again, by id")
    _common(replay)
    replay.add_argument("ids", nargs="+", type=int, metavar="ID", help="dead letter ids")
    replay.set_defaults(run=run_replay)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--schema", required=True, help="the service's schema, e.g. composer")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL (default: $VASINI_DATABASE_URL, then $VASINI_DATABASE_ADMIN_URL)",
    )


def _in_transaction(args: argparse.Namespace, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    url = args.database_url or next(filter(None, map(os.environ.get, _URL_ENV)), None)
    if not url:
        raise _Failed("no database: pass --database-url or set VASINI_DATABASE_URL")

    async def run() -> T:
        db = Database(url, schema=args.schema)
        try:
            async with db.transaction() as conn:
                return await work(conn)
        finally:
            await db.dispose()

    try:
        return asyncio.run(run())
    except ChassisError as exc:
        raise _Failed(str(exc)) from exc
    except (OSError, SQLAlchemyError) as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise _Failed(f"database error in schema '{args.schema}': {first_line}") from exc


def run_list(args: argparse.Namespace) -> int:
    try:
        rows: list[dict[str, Any]] = _in_transaction(
            args,
            lambda conn: list_dead_letters(conn, include_replayed=args.all, limit=args.limit),
        )
    except _Failed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for row in rows:
        if args.json:
            print(json.dumps(row, default=str, sort_keys=True))
            continue
        replayed = f"  replayed {row['replay_count']}x" if row["replay_count"] else ""
        print(
            f"{row['id']:>6}  {row['created_at']:%Y-%m-%d %H:%M:%S}  {row['consumer']}  "
            f"{row['event_type'] or '?'}  {row['reason_code']}  "
            f"deliveries={row['deliveries']}{replayed}\n        {row['error']}"
        )
    if not args.json:
        print(f"{len(rows)} dead letter(s)", file=sys.stderr)
    return 0


def run_replay(args: argparse.Namespace) -> int:
    try:
        count = _in_transaction(args, lambda conn: replay_dead_letters(conn, args.ids))
    except _Failed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"queued {count} dead letter(s) for replay; the service's relay publishes them")
    return 0
