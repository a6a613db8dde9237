"""`vasini up` as a new user runs it: real servers come up, are usable, stop on Ctrl-C."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import asyncpg
from redis.asyncio import Redis

from vasini_chassis.db.urls import asyncpg_dsn
from vasini_chassis.testing.waiting import eventually


def _exported(env_file: Path) -> dict[str, str]:
    return dict(re.findall(r"^export (\w+)='([^']*)'$", env_file.read_text(), re.MULTILINE))


async def test_vasini_up_serves_postgres_with_pgvector_and_valkey_until_interrupted(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "stack"
    stack = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vasini_cli.main",
        "up",
        "--data-dir",
        str(data_dir),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        env_file = data_dir / "env"
        await eventually(env_file.exists, timeout=120, what="the stack's env file")
        settings = _exported(env_file)
        assert set(settings) == {
            "VASINI_DATABASE_ADMIN_URL",
            "VASINI_DATABASE_URL",
            "VASINI_REDIS_URL",
        }

        app = await asyncpg.connect(asyncpg_dsn(settings["VASINI_DATABASE_URL"]))
        try:
            role = await app.fetchrow(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
            assert role is not None
            assert (role["rolsuper"], role["rolbypassrls"]) == (False, False)
            assert (
                await app.fetchval(
                    "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'"
                )
                == 1
            )
        finally:
            await app.close()

        redis = Redis.from_url(settings["VASINI_REDIS_URL"])
        try:
            assert await redis.ping() is True
        finally:
            await redis.aclose()

        stack.send_signal(signal.SIGINT)
        stdout, stderr = await asyncio.wait_for(stack.communicate(), timeout=60)
        assert stack.returncode == 0, stderr.decode()
        assert "dev stack stopped" in stderr.decode()
        assert "VASINI_REDIS_URL" in stdout.decode()
    finally:
        if stack.returncode is None:
            stack.kill()
            await stack.wait()
