"""The composer's domain: pack references, the catalogue they resolve against, errors."""

from __future__ import annotations
