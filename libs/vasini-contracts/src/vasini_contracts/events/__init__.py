"""The v1 event catalog. Importing this package registers every event model."""

from __future__ import annotations

from vasini_contracts.events import (
    approvals,
    budgets,
    dlq,
    evals,
    llm,
    packs,
    releases,
    runs,
    tenants,
    tools,
)

__all__ = [
    "approvals",
    "budgets",
    "dlq",
    "evals",
    "llm",
    "packs",
    "releases",
    "runs",
    "tenants",
    "tools",
]
