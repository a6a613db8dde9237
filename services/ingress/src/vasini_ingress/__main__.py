"""`python -m vasini_ingress`."""

from __future__ import annotations

from vasini_ingress.app import main

main()
