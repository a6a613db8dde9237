"""Ingress adapters: tables, repository and the Redis rate limiter."""

from __future__ import annotations
