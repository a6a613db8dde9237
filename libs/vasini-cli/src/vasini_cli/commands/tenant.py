"""`vasini tenant create NAME`: create a tenant with the platform admin key; prints
the tenant's API key once (it is stored only as a hash)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from vasini_cli.api_client import ApiError
from vasini_cli.commands.run import add_connection_arguments, connection
from vasini_cli.main import COMMANDS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tenant = subparsers.add_parser("tenant", help=COMMANDS["tenant"])
    actions = tenant.add_subparsers(dest="tenant_command", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create",
        help="create a tenant and print its API key once",
        description="Needs the admin key: --api-key, $VASINI_ADMIN_KEY or .vasini/env.",
    )
    create.add_argument("name", help="a display name for the tenant")
    add_connection_arguments(create)
    create.set_defaults(run=run_create)


def run_create(args: argparse.Namespace) -> int:
    client = connection(args, key_setting="VASINI_ADMIN_KEY")
    if client is None:
        return 2

    async def create() -> dict[str, str]:
        async with client:
            return await client.create_tenant(args.name)

    try:
        created = asyncio.run(create())
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"tenant {created['tenant_id']} ({created['name']}) created", file=sys.stderr)
    print("its API key (shown once, store it safely):", file=sys.stderr)
    print(created["api_key"])
    return 0
