"""Sandbox domain: what a sandboxed execution may do, and what it returned."""

from __future__ import annotations
