"""Spending budgets per tenant (optionally per pack): finops publishes, policy enforces.

A soft cap publishes budget.warning; the hard cap publishes budget.exceeded, after which
policy refuses new runs and tool calls in the budget's scope until budget.restored.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import AwareDatetime, Field, model_validator

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import Money, PackId, example

_STATE = {
    "budget_id": "bud-5",
    "scope": "tenant",
    "period": "month",
    "period_end": "2026-12-01T00:00:00Z",
    "limit_usd": 500.0,
}


class _BudgetState(EventData):
    budget_id: str = Field(min_length=1, max_length=128, description="Id of the budget.")
    scope: Literal["tenant", "pack"] = Field(description="What the budget covers.")
    pack_id: PackId | None = Field(default=None, description="Set when scope is pack.")
    period: Literal["day", "month"] = Field(description="Budget period; spending resets after.")
    period_end: AwareDatetime = Field(description="When the current period ends (exclusive).")
    spent_usd: Money = Field(description="Spent in the current period, as of this event.")
    limit_usd: Money = Field(description="The hard cap of the period.")

    @model_validator(mode="after")
    def _pack_matches_scope(self) -> Self:
        if (self.scope == "pack") != (self.pack_id is not None):
            raise ValueError("pack_id is required for scope 'pack' and only for it")
        return self


@event("ai.vasini.budget.warning.v1")
class BudgetWarning(_BudgetState):
    """The soft cap: spending crossed `threshold` (a fraction of the limit). Runs go on."""

    model_config = example(**_STATE, spent_usd=401.2, threshold=0.8)

    threshold: float = Field(gt=0, lt=1, description="Fraction of the limit that was crossed.")


@event("ai.vasini.budget.exceeded.v1")
class BudgetExceeded(_BudgetState):
    """The hard cap: new runs and tool calls in the scope are refused until restored."""

    model_config = example(**_STATE, spent_usd=500.37)


@event("ai.vasini.budget.restored.v1")
class BudgetRestored(_BudgetState):
    """Spending is under the hard cap again (a new period, or a raised limit); policy
    lifts the block that budget.exceeded set."""

    model_config = example(**{**_STATE, "limit_usd": 800.0}, spent_usd=500.37, cause="limit_raised")

    cause: Literal["period_reset", "limit_raised"] = Field(description="Why the cap lifted.")
