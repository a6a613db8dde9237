"""The composer's adapters: its PostgreSQL table, the store over it, the packs folder."""

from __future__ import annotations
