"""The enforcement point: input admission, output screening, every decision audited."""

from __future__ import annotations
