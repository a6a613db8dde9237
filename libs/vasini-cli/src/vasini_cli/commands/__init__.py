"""Top-level `vasini` commands, one module each (see vasini_cli.main)."""

from __future__ import annotations
