"""HTTP failures of any provider → ProviderError, classified the same way for all."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from vasini_runtime_worker.domain.llm import ProviderError

# Not-now client errors: request timeout, conflict (e.g. a concurrent request), rate limit.
RETRYABLE_CLIENT_STATUSES = frozenset({408, 409, 429})


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait: `retry-after-ms` (OpenAI), or `retry-after`
    as seconds or an HTTP date; None if absent or unreadable."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def status_error(status: int, headers: Mapping[str, str], message: str) -> ProviderError:
    retryable = status >= 500 or status in RETRYABLE_CLIENT_STATUSES
    return ProviderError(
        f"HTTP {status}: {message}",
        retryable=retryable,
        status=status,
        retry_after_s=parse_retry_after(headers) if retryable else None,
        code="PROVIDER_UNAVAILABLE" if retryable else "PROVIDER_REJECTED",
    )


def connection_error(message: str) -> ProviderError:
    return ProviderError(message, retryable=True, code="PROVIDER_UNREACHABLE")
