"""Evaluations: offline runs of a golden dataset that gate releases, and online SLOs
per tenant and pack whose breaches may roll a release back."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import Money, PackId, PackVersion, Value, example
from vasini_contracts.events.releases import ReleaseStage

EvalId = Annotated[str, Field(min_length=1, max_length=128, description="Id of the eval run.")]
Dataset = Annotated[
    str, Field(min_length=1, max_length=200, description="Golden dataset name, e.g. `smoke`.")
]
Score = Annotated[float, Field(ge=0, le=1, description="Mean case score in [0, 1].")]


@event("ai.vasini.eval.requested.v1")
class EvalRequested(EventData):
    """Run a golden dataset through the real pipeline against a pack version (registry,
    before promoting a release; or an admin)."""

    model_config = example(
        eval_id="eval-77",
        pack_id="senior-python-dev",
        version="1.4.0",
        dataset="smoke",
        release_id="rel-31",
        target_stage="staged",
    )

    eval_id: EvalId
    pack_id: PackId
    version: PackVersion
    dataset: Dataset
    release_id: str | None = Field(
        default=None, max_length=128, description="The release waiting on this eval's gate."
    )
    target_stage: ReleaseStage | None = Field(
        default=None, description="Stage the release would be promoted to if the gate passes."
    )


@event("ai.vasini.eval.completed.v1")
class EvalCompleted(EventData):
    """An offline eval finished; its scores. The gate decision follows separately."""

    model_config = example(
        eval_id="eval-77",
        pack_id="senior-python-dev",
        version="1.4.0",
        dataset="smoke",
        cases=40,
        passed=38,
        errored=0,
        score=0.93,
        p95_latency_ms=9_800,
        cost_usd=0.41,
    )

    eval_id: EvalId
    pack_id: PackId
    version: PackVersion
    dataset: Dataset
    cases: int = Field(ge=0, description="Cases run.")
    passed: int = Field(ge=0, description="Cases whose score met the case's bar.")
    errored: int = Field(default=0, ge=0, description="Cases whose run failed.")
    score: Score
    p95_latency_ms: int = Field(ge=0, description="p95 run latency over the cases.")
    cost_usd: Money = Field(description="Model cost of the whole eval.")


class GateCheck(Value):
    """One criterion of a gate."""

    metric: Literal["score", "pass_rate", "p95_latency_ms", "cost_usd", "errored"] = Field(
        description="What was compared."
    )
    observed: float = Field(description="The eval's value.")
    threshold: float = Field(description="The bar from the release policy.")
    passed: bool = Field(description="Whether the observed value meets the bar.")


@event("ai.vasini.eval.gate.decided.v1")
class EvalGateDecided(EventData):
    """The eval's verdict on a release: the registry promotes it only on `pass`."""

    model_config = example(
        eval_id="eval-77",
        release_id="rel-31",
        pack_id="senior-python-dev",
        version="1.4.0",
        target_stage="staged",
        outcome="pass",
        checks=[{"metric": "score", "observed": 0.93, "threshold": 0.85, "passed": True}],
    )

    eval_id: EvalId
    release_id: str | None = Field(
        default=None, max_length=128, description="The release the gate applies to."
    )
    pack_id: PackId
    version: PackVersion
    target_stage: ReleaseStage | None = Field(
        default=None, description="Stage the release asks to reach."
    )
    outcome: Literal["pass", "fail"] = Field(description="pass only if every check passed.")
    checks: list[GateCheck] = Field(min_length=1, description="Every criterion evaluated.")


@event("ai.vasini.eval.slo.breached.v1")
class EvalSloBreached(EventData):
    """Online: an SLO of a tenant's pack went out of bounds over a window (may trigger a
    rollback of the channel serving `version`)."""

    model_config = example(
        pack_id="senior-python-dev",
        version="1.4.0",
        slo="success_rate",
        observed=0.91,
        threshold=0.97,
        window_s=900,
        runs=312,
    )

    pack_id: PackId
    version: PackVersion
    slo: Literal["success_rate", "p95_latency_ms", "drift"] = Field(description="Which SLO.")
    observed: float = Field(description="Value over the window.")
    threshold: float = Field(description="The SLO's bound.")
    window_s: int = Field(gt=0, description="Length of the observation window in seconds.")
    runs: int = Field(default=0, ge=0, description="Runs in the window.")
