"""Builders shared by the contracts unit tests."""

from __future__ import annotations

import uuid
from typing import Any


def envelope(**overrides: Any) -> dict[str, Any]:
    """A valid run.requested envelope as plain JSON values, with `overrides` applied."""
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "source": "/vasini/ingress",
        "type": "ai.vasini.run.requested.v1",
        "time": "2026-11-25T10:00:00Z",
        "tenantid": "acme",
        "data": {"run_id": "r1", "pack": "p", "input": "hi"},
    }
    values.update(overrides)
    return values
