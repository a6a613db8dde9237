"""One stream entry as handed to this consumer, with its delivery count."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Delivery:
    stream: str
    entry_id: str
    fields: dict[bytes, bytes]
    deliveries: int
