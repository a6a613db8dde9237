"""The garbage collector's pace in a service process.

Handling an event allocates many short-lived containers (decoded JSON, pydantic models,
SQLAlchemy and asyncpg bookkeeping) that reference counting frees at once. CPython's
default still starts a generation-0 collection every 700 net allocations, and every
tenth of those traverses generation 1 too: in the messaging benchmark's batch phase
that was ~410 collections per 20 000 events and 0.12-0.21 s of a 1.3-1.5 s run; at a
threshold of 10 000 there were none, and the run needed ~10 % less CPU per event
(docs/adr/0014). Cycles are still collected, later.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 10_000


def tune_gc() -> None:
    """Raise generation 0's threshold; the older generations keep their ratios."""
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
