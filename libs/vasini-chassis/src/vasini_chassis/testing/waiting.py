"""Wait on observable state with a deadline (tests never sleep for a fixed time)."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T] | T],
    *,
    until: Callable[[T], bool] = bool,
    timeout: float = 15.0,
    interval: float = 0.02,
    what: str = "condition",
) -> T:
    """Call `probe` (sync or async) until `until(value)` holds; fail at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        value: T = await result if inspect.isawaitable(result) else result
        if until(value):
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {value!r}")
        await asyncio.sleep(interval)
