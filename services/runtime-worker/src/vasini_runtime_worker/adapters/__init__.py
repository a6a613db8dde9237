"""What the runtime-worker talks to: Postgres, Redis, model providers."""

from __future__ import annotations
