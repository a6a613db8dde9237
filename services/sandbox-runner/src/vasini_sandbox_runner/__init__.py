"""The sandbox-runner: executes authorized tool calls in an OS sandbox."""

from __future__ import annotations
