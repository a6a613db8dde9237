"""The LLM router: tier → fallback chain of models, with retries and circuit breakers.

Per request: the tenant must be allowed the tier (else TIER_NOT_ALLOWED, permanent).
The tier's chain is walked in order, skipping models whose circuit is open. Each model
gets 1 + `max_retries` calls for retryable errors (429, 408, 409, 5xx, connection),
waiting `backoff_delay` between them. A model that keeps failing, or fails server-side
without being retryable, counts one breaker failure and the next model is tried. A 4xx
that is not 408/409/429 means the request itself is bad: LlmPermanentError, no
fallback. When no model answers: LlmTransientError LLM_UNAVAILABLE naming each tried.

Retry-After: the wait is at least what the server asked. If it asks for more than
`backoff_max_s`, the model is not retried (waiting that long would stall the run) and
the chain moves on at once.

Deltas and fallback: deltas go straight through to `on_delta` as the provider streams
them, so the client sees text with no buffering delay. An attempt that fails before
its first delta is retried / falls back invisibly. An attempt that fails *after*
emitting deltas is not retried or replaced — another answer would be appended to a
half answer the client already shows — it raises LlmTransientError
LLM_STREAM_INTERRUPTED instead, and the caller redoes the step (its client must then
treat the earlier deltas of that step as abandoned).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace

from vasini_runtime_worker.adapters.llm.breaker import CircuitBreaker
from vasini_runtime_worker.adapters.llm.errors import RETRYABLE_CLIENT_STATUSES
from vasini_runtime_worker.adapters.llm.settings import LlmSettings, split_target
from vasini_runtime_worker.domain.llm import (
    DeltaSink,
    LlmPermanentError,
    LlmProvider,
    LlmRequest,
    LlmResponse,
    LlmTransientError,
    ProviderError,
)


def is_request_error(error: ProviderError) -> bool:
    """The provider rejected the request itself: no other model will accept it either."""
    status = error.status
    return (
        not error.retryable
        and status is not None
        and 400 <= status < 500
        and status not in RETRYABLE_CLIENT_STATUSES
    )


class _TrackedSink:
    """Passes deltas on, remembering whether this attempt has emitted any."""

    def __init__(self, sink: DeltaSink) -> None:
        self._sink = sink
        self.emitted = False

    async def __call__(self, text: str) -> None:
        self.emitted = True
        await self._sink(text)


@dataclass
class _Progress:
    """One request's walk down the chain."""

    started: float
    attempts: int = 0
    tried: list[str] = field(default_factory=list)


class LlmRouter:
    def __init__(
        self,
        settings: LlmSettings,
        providers: Mapping[str, LlmProvider],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] | None = None,
    ) -> None:
        missing = sorted({split_target(t)[0] for t in settings.targets()} - set(providers))
        if missing:
            raise ValueError(f"no LLM provider named {', '.join(missing)}")
        self._settings = settings
        self._providers = dict(providers)
        self._clock = clock
        self._sleep = sleep
        # Jitter only spreads retries out; it needs no cryptographic randomness.
        self._jitter = jitter or random.Random().random  # noqa: S311
        self._breakers = {
            target: CircuitBreaker(settings.breaker_failures, settings.breaker_reset_s, clock)
            for target in settings.targets()
        }

    def breaker(self, target: str) -> CircuitBreaker:
        return self._breakers[target]

    def backoff_delay(self, retry: int, retry_after_s: float | None) -> float:
        """Wait before retry number `retry` (0-based): "equal jitter" exponential backoff,
        half fixed and half random so retries spread out yet never come back at once;
        at least the server's Retry-After."""
        step = min(self._settings.backoff_max_s, self._settings.backoff_base_s * 2.0**retry)
        delay = step / 2 + self._jitter() * step / 2
        return max(delay, retry_after_s or 0.0)

    async def complete(self, request: LlmRequest, on_delta: DeltaSink | None = None) -> LlmResponse:
        allowed = self._settings.tenant_tiers.get(request.tenant_id)
        if allowed is not None and request.tier not in allowed:
            raise LlmPermanentError(
                "TIER_NOT_ALLOWED", f"tenant {request.tenant_id} may not use {request.tier}"
            )
        chain = self._settings.tiers.get(request.tier)
        if not chain:
            raise LlmPermanentError("TIER_NOT_CONFIGURED", f"no models for {request.tier}")
        progress = _Progress(started=self._clock())
        for target in chain:
            if not self._breakers[target].allow():
                progress.tried.append(f"{target} (circuit open)")
                continue
            response = await self._try_model(target, request, on_delta, progress)
            if response is not None:
                latency_ms = round((self._clock() - progress.started) * 1000)
                return replace(response, attempts=progress.attempts, latency_ms=latency_ms)
        raise LlmTransientError(
            "LLM_UNAVAILABLE",
            f"no model answered for {request.tier}; tried {'; '.join(progress.tried)}",
        )

    async def _try_model(
        self,
        target: str,
        request: LlmRequest,
        on_delta: DeltaSink | None,
        progress: _Progress,
    ) -> LlmResponse | None:
        """The model's answer, or None when it failed in a way worth falling back from."""
        breaker = self._breakers[target]
        provider_name, model = split_target(target)
        provider = self._providers[provider_name]
        # A half-open circuit lets exactly one trial call through, no retries.
        calls = 1 if breaker.state == "half-open" else 1 + self._settings.max_retries
        for call in range(calls):
            progress.attempts += 1
            sink = _TrackedSink(on_delta) if on_delta is not None else None
            try:
                response = await provider.complete(model, request, sink)
            except ProviderError as error:
                if sink is not None and sink.emitted:
                    breaker.record_failure()
                    raise LlmTransientError(
                        "LLM_STREAM_INTERRUPTED", f"{target} failed mid-stream: {error}"
                    ) from error
                if is_request_error(error):
                    raise LlmPermanentError(
                        "LLM_REQUEST_REJECTED", f"{target} rejected the request: {error}"
                    ) from error
                retry_after = error.retry_after_s
                waits_too_long = (
                    retry_after is not None and retry_after > self._settings.backoff_max_s
                )
                if error.retryable and call + 1 < calls and not waits_too_long:
                    await self._sleep(self.backoff_delay(call, retry_after))
                    continue
                breaker.record_failure()
                progress.tried.append(f"{target} ({error.status or 'no response'}: {error})")
                return None
            breaker.record_success()
            return response
        return None
