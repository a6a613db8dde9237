"""vasini-packs."""

from __future__ import annotations
