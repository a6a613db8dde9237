"""Ingress domain: API keys, runs as clients see them, and the errors clients get."""

from __future__ import annotations
