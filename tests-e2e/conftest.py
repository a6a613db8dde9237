"""Fixtures of the end-to-end tests (helpers live in e2e_kit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_kit import copy_packs, start_stack

from vasini_cli.stack import ServiceStack


@pytest.fixture
def packs_dir(tmp_path: Path) -> Path:
    return copy_packs(tmp_path / "packs")


@pytest.fixture
def stack_urls(
    postgres_admin_url: str, postgres_app_url: str, redis_url: str
) -> tuple[str, str, str]:
    return postgres_admin_url, postgres_app_url, redis_url


@pytest.fixture
def stack(
    tmp_path: Path, packs_dir: Path, unique_name: str, stack_urls: tuple[str, str, str]
) -> Iterator[ServiceStack]:
    running = start_stack(tmp_path, packs_dir, unique_name, stack_urls)
    try:
        yield running
    finally:
        running.stop()
