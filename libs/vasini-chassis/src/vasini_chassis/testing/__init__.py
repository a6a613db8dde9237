"""Test support for services: pytest fixtures for real servers and an example service."""

from __future__ import annotations
