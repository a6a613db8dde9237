"""vasini-chassis."""

from __future__ import annotations
