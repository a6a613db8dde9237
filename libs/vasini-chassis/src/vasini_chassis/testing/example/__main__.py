"""Run the example service until SIGTERM."""

from __future__ import annotations

from vasini_chassis.testing.example.app import main

main()
