"""`python -m vasini_composer`."""

from __future__ import annotations

from vasini_composer.app import main

main()
