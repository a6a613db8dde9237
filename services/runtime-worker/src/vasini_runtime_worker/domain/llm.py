"""What the agent loop asks of a model, whichever provider serves it.

The loop calls `LlmRouter.complete` (adapters/llm) through these types only, so it
never sees an SDK. Errors carry a stable `code`: `LlmTransientError` means "try the
step again later" (every model down, or a stream broke half-way), `LlmPermanentError`
means the request itself can never succeed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Tier = Literal["tier-1", "tier-2", "tier-3"]
StopReason = Literal["end_turn", "tool_use", "max_tokens"]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON Schema of the arguments


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Message:
    role: Literal["user", "assistant", "tool"]
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()  # on assistant messages
    tool_call_id: str | None = None  # on tool messages: the call this is the result of
    is_error: bool = False  # a tool result that is an error


@dataclass(frozen=True)
class LlmRequest:
    tenant_id: str
    tier: Tier
    system: str
    messages: tuple[Message, ...]
    tools: tuple[ToolSpec, ...] = ()
    max_output_tokens: int = 4096
    temperature: float | None = None


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class LlmResponse:
    text: str
    tool_calls: tuple[ToolCall, ...]
    usage: Usage
    provider: str
    model: str
    stop_reason: StopReason
    attempts: int  # calls made across retries and fallbacks (set by the router)
    latency_ms: int  # including backoff waits (set by the router)


DeltaSink = Callable[[str], Awaitable[None]]
"""Receives the answer's text as it streams."""


class LlmError(Exception):
    """Base of the model errors; `code` is stable, the message is for humans."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class LlmTransientError(LlmError):
    """Worth trying again later: every model is down or its circuit is open."""


class LlmPermanentError(LlmError):
    """Never worth retrying: tier not allowed, a request the provider rejects, bad auth."""


class ProviderError(LlmError):
    """A provider's failure, classified for the router.

    `retryable`: the same call may succeed later (429, 408, 409, 5xx, connection).
    `status`: the HTTP status if the server answered (None for connection errors).
    `retry_after_s`: how long the server asked us to wait, if it said.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after_s: float | None = None,
        code: str = "PROVIDER_ERROR",
    ) -> None:
        super().__init__(code, message)
        self.retryable = retryable
        self.status = status
        self.retry_after_s = retry_after_s


class LlmProvider(Protocol):
    async def complete(
        self, model: str, request: LlmRequest, on_delta: DeltaSink | None
    ) -> LlmResponse:
        """One call, no retries; raises ProviderError. Text deltas go to `on_delta` as
        they arrive; `attempts` and `latency_ms` of the result are the router's to set."""
        ...
