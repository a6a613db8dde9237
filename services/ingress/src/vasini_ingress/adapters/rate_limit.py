"""Per-tenant request rate limit in Redis: a fixed one-second window per tenant.

Fixed windows allow a burst of up to twice the limit across a window edge; that is
accepted for a coarse abuse guard (budgets, not this, bound spending). The counter
expires by itself, so an idle tenant costs nothing.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis


class RateLimiter:
    def __init__(self, redis: Redis, per_second: int, key_prefix: str = "") -> None:
        self._redis = redis
        self._limit = per_second
        self._prefix = key_prefix

    async def retry_after(self, tenant_id: str) -> int | None:
        """None when the request may pass; else seconds until it may be retried."""
        window = int(time.time())
        key = f"{self._prefix}ratelimit:{tenant_id}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 2)
            count, _ = await pipe.execute()
        return None if int(count) <= self._limit else 1
