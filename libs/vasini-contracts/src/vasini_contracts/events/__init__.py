"""The v1 event catalog. Importing this package registers every event model."""

from __future__ import annotations

from vasini_contracts.events import dlq, runs

__all__ = ["dlq", "runs"]
