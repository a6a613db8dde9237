"""tune_gc: generation 0 collects far less often; the older generations keep their
ratios to it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from vasini_chassis.gc_tuning import GEN0_THRESHOLD, tune_gc


@pytest.fixture
def default_thresholds() -> Iterator[None]:
    """CPython's default generation-0 threshold, odd older ones; the test's own after."""
    before = gc.get_threshold()
    gc.set_threshold(700, 7, 9)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@pytest.mark.usefixtures("default_thresholds")
def test_generation_zero_waits_for_many_more_allocations() -> None:
    tune_gc()
    assert gc.get_threshold() == (GEN0_THRESHOLD, 7, 9)
