"""XADD of a batch of stored entries in one command (the relay's and the publisher's)."""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio import Redis

from vasini_contracts.codec import ENTRY_FIELD

# KEYS are the batch's distinct streams, ARGV[1] the field name, ARGV[2] every payload
# back to back (UTF-8), ARGV[3] one "<stream's KEYS index>:<payload byte length>" per
# entry. One reply instead of a pipeline's N (docs/adr/0009), and three arguments
# instead of 2N: redis-py packs each argument in Python, which cost more than the XADDs
# themselves (docs/adr/0011). Entries are appended in order; if one XADD fails, the
# script stops there and the earlier ones stay published, exactly like a pipeline.
_XADD_BATCH = """
local payloads, start, count = ARGV[2], 1, 0
for key, length in string.gmatch(ARGV[3], '(%d+):(%d+)') do
  local stop = start + tonumber(length)
  redis.call('XADD', KEYS[tonumber(key)], '*', ARGV[1], string.sub(payloads, start, stop - 1))
  start, count = stop, count + 1
end
return count
"""


class BatchXadd:
    def __init__(self, redis: Redis) -> None:
        self._script = redis.register_script(_XADD_BATCH)

    async def __call__(self, entries: Sequence[tuple[str, str]]) -> None:
        """XADD each (stream, stored payload) as its entry's one field, byte for byte,
        in order; returns once Redis has appended them all."""
        keys: dict[str, int] = {}  # stream -> its 1-based index in KEYS
        payloads = [payload.encode() for _, payload in entries]
        layout = ",".join(
            [
                f"{keys.setdefault(stream, len(keys) + 1)}:{len(payload)}"
                for (stream, _), payload in zip(entries, payloads, strict=True)
            ]
        )
        await self._script(keys=list(keys), args=[ENTRY_FIELD, b"".join(payloads), layout])
