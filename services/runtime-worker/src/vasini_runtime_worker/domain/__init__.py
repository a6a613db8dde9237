"""Pure logic of the runtime-worker: no I/O, no SDKs."""

from __future__ import annotations
