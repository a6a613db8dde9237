"""`python -m vasini_runtime_worker`."""

from __future__ import annotations

from vasini_runtime_worker.app import main

main()
