"""Alembic environment of sandbox-runner: all wiring lives in the chassis."""

from __future__ import annotations

from vasini_chassis.migrations import run_alembic_env

run_alembic_env()
