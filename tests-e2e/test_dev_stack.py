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

REPO = Path(__file__).resolve().parents[1]


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
        "--servers-only",
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


async def test_vasini_up_runs_the_reference_pack_and_prints_the_answer(tmp_path: Path) -> None:
    """What `make run` does on a fresh machine: servers, services, a run, the answer."""
    up = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vasini_cli.main",
        "up",
        "--check",
        "--port",
        "0",
        "--data-dir",
        str(tmp_path / "stack"),
        "--packs-dir",
        str(REPO / "packs"),
        "--run",
        "senior-python-dev",
        "Design a rate limiter",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(up.communicate(), timeout=240)

    out, err = stdout.decode(), stderr.decode()
    assert up.returncode == 0, err[-3000:]
    assert "I am Architect. Your task: Design a rate limiter" in out
    assert "Generated code must be reviewed by a human before it is merged." in out
    assert re.search(r"^export VASINI_API_KEY='vsk_\w+_[\w-]+'$", out, re.MULTILINE)
    assert "done in 1 step(s)" in err
    assert "dev stack stopped" in err
