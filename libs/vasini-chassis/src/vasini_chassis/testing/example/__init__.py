"""A small example service used by the chassis tests (and as a template).

It consumes `run.requested` and records one row per handled event in `effects`, a
tenant table under RLS. The input text steers it, so tests can drive every path:
`fail` always raises, `fail-unless:<file>` raises until the file exists, `reject`
refuses permanently, `hang:<file>` touches the file then blocks inside the open
transaction on its first delivery (for kill tests), `slow:<file>` touches the file
and takes SLOW_HANDLER_S seconds, `emit` publishes a child event through the outbox;
anything else just records the effect.
"""

from __future__ import annotations
