"""Fixtures shared by every test suite of the workspace."""

from __future__ import annotations

import pytest

pytest_plugins = ["vasini_chassis.testing.plugin"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests under tests/integration or tests-e2e need real servers: mark them so."""
    for item in items:
        path = item.path.as_posix()
        if "/tests/integration/" in path or "/tests-e2e/" in path:
            item.add_marker(pytest.mark.integration)
