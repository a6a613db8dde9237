"""The LLM router: tiers, fallback, retries with backoff, Retry-After, circuit breakers
and deltas — against in-test fake models and a fake clock (nobody really sleeps)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from vasini_runtime_worker.adapters.llm.router import LlmRouter
from vasini_runtime_worker.adapters.llm.settings import LlmSettings
from vasini_runtime_worker.domain.llm import (
    DeltaSink,
    LlmPermanentError,
    LlmRequest,
    LlmResponse,
    LlmTransientError,
    Message,
    ProviderError,
    Usage,
)


@dataclass
class FakeClock:
    now: float = 100.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass(frozen=True)
class Answer:
    text: str
    deltas: Sequence[str] = ()


@dataclass(frozen=True)
class BreakAfter:
    """Streams `deltas`, then fails."""

    deltas: Sequence[str]
    error: ProviderError


Outcome = Answer | ProviderError | BreakAfter


class FakeModel:
    """A provider whose models answer from a per-model script (then `default`)."""

    def __init__(self, name: str, default: Outcome | None = None, **scripts: list[Outcome]):
        self.name = name
        self.default = default or Answer("fine")
        self.scripts = scripts
        self.calls: list[str] = []

    async def complete(
        self, model: str, request: LlmRequest, on_delta: DeltaSink | None
    ) -> LlmResponse:
        self.calls.append(model)
        script = self.scripts.get(model, [])
        outcome = script.pop(0) if script else self.default
        if isinstance(outcome, ProviderError):
            raise outcome
        for delta in outcome.deltas:
            if on_delta is not None:
                await on_delta(delta)
        if isinstance(outcome, BreakAfter):
            raise outcome.error
        return LlmResponse(
            text=outcome.text,
            tool_calls=(),
            usage=Usage(3, 4),
            provider=self.name,
            model=model,
            stop_reason="end_turn",
            attempts=1,
            latency_ms=0,
        )


def unavailable(status: int = 503, retry_after_s: float | None = None) -> ProviderError:
    return ProviderError(
        f"HTTP {status}", retryable=True, status=status, retry_after_s=retry_after_s
    )


def request(tenant: str = "acme", tier: Any = "tier-1") -> LlmRequest:
    return LlmRequest(
        tenant_id=tenant, tier=tier, system="# Helper", messages=(Message("user", "hi"),)
    )


def settings(**overrides: Any) -> LlmSettings:
    values: dict[str, Any] = {
        "tiers": {"tier-1": ["a:one", "b:two"], "tier-2": ["b:two"], "tier-3": ["b:two"]},
        "max_retries": 2,
        "backoff_base_s": 0.5,
        "backoff_max_s": 8.0,
        "breaker_failures": 3,
        "breaker_reset_s": 30.0,
    }
    values.update(overrides)
    return LlmSettings.model_validate(values)


def router(
    clock: FakeClock, *models: FakeModel, jitter: float = 0.5, **overrides: Any
) -> LlmRouter:
    return LlmRouter(
        settings(**overrides),
        {m.name: m for m in models},
        clock=clock,
        sleep=clock.sleep,
        jitter=lambda: jitter,
    )


async def test_a_tenant_is_held_to_its_tier_allowlist() -> None:
    clock = FakeClock()
    b = FakeModel("b")
    a = FakeModel("a")
    llm = router(clock, a, b, tenant_tiers={"acme": ["tier-2"]})

    with pytest.raises(LlmPermanentError) as refused:
        await llm.complete(request("acme", "tier-1"))

    assert refused.value.code == "TIER_NOT_ALLOWED"
    assert a.calls == []
    assert (await llm.complete(request("acme", "tier-2"))).model == "two"
    assert (await llm.complete(request("unlisted", "tier-1"))).model == "one"


async def test_the_first_healthy_model_of_the_chain_answers() -> None:
    clock = FakeClock()
    a = FakeModel("a", one=[ProviderError("HTTP 500", retryable=False, status=500)])
    b = FakeModel("b")

    response = await router(clock, a, b).complete(request())

    assert (response.provider, response.model) == ("b", "two")
    assert a.calls == ["one"]
    assert b.calls == ["two"]
    assert response.attempts == 2
    assert clock.sleeps == []  # a non-retryable server error falls back at once


async def test_retryable_errors_are_retried_with_exponential_backoff() -> None:
    clock = FakeClock()
    a = FakeModel("a", one=[unavailable(), unavailable()])

    response = await router(clock, a, FakeModel("b")).complete(request())

    assert response.model == "one"
    assert response.attempts == 3
    # equal jitter, jitter=0.5: step/2 + 0.5 * step/2 for steps 0.5 and 1.0
    assert clock.sleeps == [0.375, 0.75]
    assert response.latency_ms == 1125  # measured on the (fake) clock, waits included


@pytest.mark.parametrize(
    ("jitter", "expected"),
    [(0.0, [0.5, 1.0, 1.0, 1.0]), (1.0, [1.0, 2.0, 2.0, 2.0])],
)
def test_backoff_doubles_up_to_its_cap_within_the_jitter_range(
    jitter: float, expected: list[float]
) -> None:
    llm = router(
        FakeClock(),
        FakeModel("a"),
        FakeModel("b"),
        jitter=jitter,
        backoff_base_s=1.0,
        backoff_max_s=2.0,
    )

    assert [llm.backoff_delay(n, None) for n in range(4)] == expected


async def test_a_model_that_keeps_failing_is_left_for_the_next_after_its_retries() -> None:
    clock = FakeClock()
    a = FakeModel("a", default=unavailable())
    b = FakeModel("b")

    response = await router(clock, a, b, max_retries=1).complete(request())

    assert a.calls == ["one", "one"]
    assert response.model == "two"
    assert response.attempts == 3
    assert len(clock.sleeps) == 1


async def test_retry_after_is_waited_for_at_least() -> None:
    clock = FakeClock()
    a = FakeModel("a", one=[unavailable(429, retry_after_s=3.0)])

    response = await router(clock, a, FakeModel("b")).complete(request())

    assert response.model == "one"
    assert clock.sleeps == [3.0]


async def test_a_retry_after_beyond_the_backoff_cap_moves_on_at_once() -> None:
    clock = FakeClock()
    a = FakeModel("a", one=[unavailable(429, retry_after_s=60.0)])

    response = await router(clock, a, FakeModel("b")).complete(request())

    assert response.model == "two"
    assert a.calls == ["one"]
    assert clock.sleeps == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
async def test_a_rejected_request_is_permanent_and_not_tried_elsewhere(status: int) -> None:
    a = FakeModel("a", one=[ProviderError("bad", retryable=False, status=status)])
    b = FakeModel("b")

    with pytest.raises(LlmPermanentError) as rejected:
        await router(FakeClock(), a, b).complete(request())

    assert rejected.value.code == "LLM_REQUEST_REJECTED"
    assert b.calls == []


@pytest.mark.parametrize("status", [408, 409, 429])
async def test_not_now_client_errors_are_retried(status: int) -> None:
    clock = FakeClock()
    a = FakeModel("a", one=[unavailable(status)])

    response = await router(clock, a, FakeModel("b")).complete(request())

    assert response.model == "one"
    assert len(clock.sleeps) == 1


async def test_when_every_model_fails_the_error_is_transient_and_names_them() -> None:
    a = FakeModel("a", default=unavailable(503))
    b = FakeModel("b", default=ProviderError("down", retryable=True))

    with pytest.raises(LlmTransientError) as down:
        await router(FakeClock(), a, b).complete(request())

    assert down.value.code == "LLM_UNAVAILABLE"
    assert "a:one" in str(down.value)
    assert "b:two" in str(down.value)
    assert len(a.calls) == len(b.calls) == 3


async def test_the_breaker_opens_half_opens_and_reopens() -> None:
    clock = FakeClock()
    a = FakeModel("a", default=unavailable())
    b = FakeModel("b")
    llm = router(clock, a, b, max_retries=0, breaker_failures=2, breaker_reset_s=30.0)

    for _ in range(2):
        assert (await llm.complete(request())).model == "two"
    assert llm.breaker("a:one").state == "open"
    assert len(a.calls) == 2

    assert (await llm.complete(request())).attempts == 1  # a skipped: only b called
    assert len(a.calls) == 2

    clock.now += 30.0
    assert (await llm.complete(request())).model == "two"  # the trial call failed
    assert len(a.calls) == 3
    assert llm.breaker("a:one").state == "open"

    clock.now += 29.0
    await llm.complete(request())
    assert len(a.calls) == 3


async def test_a_half_open_trial_is_a_single_call_and_its_success_closes() -> None:
    clock = FakeClock()
    a = FakeModel("a", one=[unavailable(), unavailable(), unavailable()])
    b = FakeModel("b")
    llm = router(clock, a, b, max_retries=2, breaker_failures=1)

    assert (await llm.complete(request())).model == "two"  # 3 calls, then open
    clock.now += 30.0
    a.scripts["one"] = [unavailable()]
    assert (await llm.complete(request())).model == "two"
    assert len(a.calls) == 4  # the trial was one call, not three
    assert clock.sleeps == [0.375, 0.75]  # and no backoff for it

    clock.now += 30.0
    assert (await llm.complete(request())).model == "one"
    assert llm.breaker("a:one").state == "closed"


async def test_deltas_pass_through_in_order() -> None:
    a = FakeModel("a", default=Answer("Hello there", deltas=("Hel", "lo ", "there")))
    seen: list[str] = []

    async def sink(text: str) -> None:
        seen.append(text)

    await router(FakeClock(), a, FakeModel("b")).complete(request(), sink)

    assert seen == ["Hel", "lo ", "there"]


async def test_a_failure_before_any_delta_falls_back_invisibly() -> None:
    a = FakeModel("a", default=ProviderError("HTTP 500", retryable=False, status=500))
    b = FakeModel("b", default=Answer("from b", deltas=("from ", "b")))
    seen: list[str] = []

    async def sink(text: str) -> None:
        seen.append(text)

    response = await router(FakeClock(), a, b).complete(request(), sink)

    assert response.text == "from b"
    assert seen == ["from ", "b"]


async def test_a_stream_broken_after_deltas_is_not_continued_by_another_model() -> None:
    clock = FakeClock()
    a = FakeModel("a", default=BreakAfter(("Half an ",), unavailable()))
    b = FakeModel("b")
    seen: list[str] = []

    async def sink(text: str) -> None:
        seen.append(text)

    with pytest.raises(LlmTransientError) as broken:
        await router(clock, a, b).complete(request(), sink)

    assert broken.value.code == "LLM_STREAM_INTERRUPTED"
    assert seen == ["Half an "]
    assert a.calls == ["one"]
    assert b.calls == []
    assert clock.sleeps == []


def test_a_router_refuses_settings_naming_a_provider_it_lacks() -> None:
    with pytest.raises(ValueError, match="no LLM provider named b"):
        LlmRouter(settings(), {"a": FakeModel("a")})
