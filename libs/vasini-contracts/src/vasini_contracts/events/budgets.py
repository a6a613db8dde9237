"""Token budgets per tenant (and optionally pack)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event


class _BudgetState(EventData):
    budget_id: str = Field(min_length=1, max_length=128)
    pack_id: str | None = Field(default=None, max_length=200)
    period: Literal["day", "month"]
    spent_usd: float = Field(ge=0)
    limit_usd: float = Field(ge=0)


@event("ai.vasini.budget.threshold.reached.v1")
class BudgetThresholdReached(_BudgetState):
    """The soft cap: spending crossed `threshold` (a fraction of the limit)."""

    threshold: float = Field(gt=0, le=1)


@event("ai.vasini.budget.exceeded.v1")
class BudgetExceeded(_BudgetState):
    """The hard cap: new runs and tool calls of the tenant are refused until reset."""
