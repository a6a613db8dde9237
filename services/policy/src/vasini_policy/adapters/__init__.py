"""Policy's adapters: its PostgreSQL tables and the store over them."""

from __future__ import annotations
