"""The public HTTP API: tenants and API keys, runs, live events, cancel."""

from __future__ import annotations
