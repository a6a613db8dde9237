"""Sandbox adapters: the bubblewrap executor."""

from __future__ import annotations
