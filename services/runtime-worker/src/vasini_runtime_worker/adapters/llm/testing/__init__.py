"""Fake model servers that speak the providers' real wire formats (HTTP + SSE), so
tests drive the official SDKs end to end without a network. Test support only: never
imported by the service itself."""

from __future__ import annotations

from vasini_runtime_worker.adapters.llm.testing.fake_anthropic import FakeAnthropic
from vasini_runtime_worker.adapters.llm.testing.fake_openai import FakeOpenAI
from vasini_runtime_worker.adapters.llm.testing.server import (
    BrokenStream,
    Failure,
    FakeModelServer,
    FakeResponse,
    Received,
    Reply,
)

__all__ = [
    "BrokenStream",
    "Failure",
    "FakeAnthropic",
    "FakeModelServer",
    "FakeOpenAI",
    "FakeResponse",
    "Received",
    "Reply",
]
