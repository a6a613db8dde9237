"""The agent loop and run state machine, calling models through the LLM router."""

from __future__ import annotations
