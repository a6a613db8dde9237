"""Composer domain: pack references and the catalogue they resolve against."""

from __future__ import annotations
