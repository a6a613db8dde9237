"""`python -m vasini_sandbox_runner`."""

from __future__ import annotations

from vasini_sandbox_runner.app import main

main()
