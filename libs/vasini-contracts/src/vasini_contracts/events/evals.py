"""Evaluations: offline gates on releases, online SLOs per tenant and pack."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event

EVAL_ID = Field(min_length=1, max_length=128)


@event("ai.vasini.eval.requested.v1")
class EvalRequested(EventData):
    eval_id: str = EVAL_ID
    pack_id: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=64)
    dataset: str = Field(min_length=1, max_length=200)


@event("ai.vasini.eval.completed.v1")
class EvalCompleted(EventData):
    eval_id: str = EVAL_ID
    pack_id: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=64)
    cases: int = Field(ge=0)
    passed: int = Field(ge=0)
    score: float = Field(ge=0, le=1)
    gate: Literal["pass", "fail"]


@event("ai.vasini.eval.slo.breached.v1")
class EvalSloBreached(EventData):
    """Online: an SLO of a tenant's pack went out of bounds (may trigger rollback)."""

    pack_id: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=64)
    slo: Literal["success_rate", "p95_latency_ms", "drift"]
    observed: float
    threshold: float
    window_s: int = Field(gt=0)
