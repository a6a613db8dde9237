"""`vasini run PACK "input"`: post a run and follow it live (answer text as it streams).

Exit codes: 0 when the run is done, 1 when it failed or was cancelled or the API
refused it, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from vasini_cli.api_client import DEFAULT_ENV_FILE, ApiClient, ApiError, resolve
from vasini_cli.main import COMMANDS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser(
        "run",
        help=COMMANDS["run"],
        description="Post a run to the API and print the answer as it streams.",
    )
    run.add_argument("pack", help="pack reference: id, id@version or id:channel")
    run.add_argument("input", help="the task for the agent")
    add_connection_arguments(run)
    run.set_defaults(run=run_run)


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--api-url", help="API base URL (default: $VASINI_API_URL, .vasini/env)")
    parser.add_argument("--api-key", help="API key (default: $VASINI_API_KEY, .vasini/env)")
    parser.add_argument(
        "--env-file", type=Path, default=DEFAULT_ENV_FILE, help="env file of `vasini up`"
    )


def connection(args: argparse.Namespace, key_setting: str = "VASINI_API_KEY") -> ApiClient | None:
    url = resolve("VASINI_API_URL", args.api_url, args.env_file)
    key = resolve(key_setting, args.api_key, args.env_file)
    if not url or not key:
        print(
            "error: no API to talk to; start one with `vasini up` or pass --api-url/--api-key",
            file=sys.stderr,
        )
        return None
    return ApiClient(url, key)


def run_run(args: argparse.Namespace) -> int:
    client = connection(args)
    if client is None:
        return 2
    try:
        return asyncio.run(follow(client, args.pack, args.input))
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


async def follow(client: ApiClient, pack: str, text: str) -> int:
    async with client:
        accepted = await client.create_run(pack, text)
        run_id = accepted["run_id"]
        print(f"run {run_id} accepted", file=sys.stderr)
        streamed = ""
        async for event in client.events(run_id):
            if event.kind == "delta":
                print(event.data["text"], end="", flush=True)
                streamed += event.data["text"]
            elif event.kind == "state" and not streamed:
                # Deltas skip the outbox and may overtake state changes: once text
                # streams, a late "[running]" would only cut through the answer.
                print(f"[{event.data['state']}]", file=sys.stderr)
            elif event.kind == "approval" and event.data["state"] == "pending":
                approval = event.data["approval_id"]
                print(
                    f"[approval needed] tool `{event.data['tool_id']}` waits for a person "
                    f"until {event.data['expires_at']}: vasini approvals approve {approval} "
                    f"(or reject {approval})",
                    file=sys.stderr,
                )
            elif event.kind == "approval":
                print(f"[approval {event.data['state']}]", file=sys.stderr)
        run = await client.get_run(run_id)
    if streamed:
        print()
    if run["state"] == "done":
        if run["output"] != streamed:
            # Output screening changed the streamed text (redactions, disclaimers).
            if streamed:
                print("--- the answer after output screening ---", file=sys.stderr)
            print(run["output"])
        usage = run.get("usage") or {}
        print(
            f"done in {run['steps']} step(s); tokens in {usage.get('input_tokens', 0)}, "
            f"out {usage.get('output_tokens', 0)}",
            file=sys.stderr,
        )
        return 0
    error = run.get("error") or {}
    print(
        f"run {run['state']}: {error.get('code', '')} {error.get('message', '')}", file=sys.stderr
    )
    return 1
