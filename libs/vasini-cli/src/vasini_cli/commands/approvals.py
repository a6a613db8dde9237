"""`vasini approvals`: list the tool calls that wait for a person, and decide them.

    vasini approvals                      # pending approvals (also: --state approved ...)
    vasini approvals approve APPROVAL_ID [--comment TEXT]
    vasini approvals reject APPROVAL_ID [--comment TEXT]

Exit codes: 0 done, 1 the API refused (unknown or already decided approval), 2 bad
usage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from vasini_cli.api_client import ApiClient, ApiError
from vasini_cli.commands.run import add_connection_arguments, connection
from vasini_cli.main import COMMANDS

STATES = ("pending", "approved", "rejected", "expired")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    approvals = subparsers.add_parser(
        "approvals",
        help=COMMANDS["approvals"],
        description="List approvals (pending by default), or approve/reject one.",
    )
    approvals.add_argument("--state", choices=STATES, default="pending", help="which to list")
    approvals.add_argument("--json", action="store_true", help="print the API's JSON")
    add_connection_arguments(approvals)
    approvals.set_defaults(run=run_list)
    actions = approvals.add_subparsers(dest="action", metavar="ACTION")
    for action, verb in (("approve", "let the tool call run"), ("reject", "deny the call")):
        decide = actions.add_parser(action, help=verb, description=f"{action}: {verb}.")
        decide.add_argument("approval_id", help="the approval's id (from the list)")
        decide.add_argument("--comment", help="a note for the record (and, on reject, the model)")
        add_connection_arguments(decide)
        decide.set_defaults(run=run_decide, decision=action)


def run_list(args: argparse.Namespace) -> int:
    client = connection(args)
    if client is None:
        return 2
    try:
        listed = asyncio.run(_call(client, lambda c: c.approvals(args.state)))
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(listed, indent=2))
        return 0
    rows = listed["approvals"]
    if not rows:
        print(f"no {args.state} approvals", file=sys.stderr)
        return 0
    for row in rows:
        print(
            f"{row['approval_id']}  {row['state']:<8}  run {row['run_id']}  tool {row['tool_id']}"
            f"  risk {row['risk']}  rule {row['rule']}  expires {row['expires_at']}"
        )
        print(f"    {row['reason']}; arguments: {json.dumps(row['arguments'])}")
    return 0


def run_decide(args: argparse.Namespace) -> int:
    client = connection(args)
    if client is None:
        return 2
    try:
        decided = asyncio.run(
            _call(
                client, lambda c: c.decide_approval(args.approval_id, args.decision, args.comment)
            )
        )
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{decided['approval_id']} {decided['state']} (run {decided['run_id']})")
    return 0


async def _call(
    client: ApiClient, request: Callable[[ApiClient], Awaitable[dict[str, Any]]]
) -> dict[str, Any]:
    async with client:
        return await request(client)
