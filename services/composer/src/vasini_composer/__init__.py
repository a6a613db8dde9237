"""Resolves a run's pack reference to a validated, digested pack and composes the agent config."""

from __future__ import annotations
