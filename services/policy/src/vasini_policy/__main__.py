"""`python -m vasini_policy`."""

from __future__ import annotations

from vasini_policy.app import main

main()
