"""Policy decisions as pure functions of a pack's GUARDRAILS and a text."""

from __future__ import annotations
