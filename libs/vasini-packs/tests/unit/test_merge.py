"""The merge rule (extends/override): properties over arbitrary JSON-shaped data."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from vasini_packs.composer import resolve_pack
from vasini_packs.errors import Origin
from vasini_packs.located import Located, merge_located
from vasini_packs.merge import deep_merge

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
keys = st.sampled_from(["a", "b", "c", "d", "e"])
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)
mappings = st.dictionaries(keys, values, max_size=5)


@given(mappings, mappings)
def test_merge_keeps_every_key_of_both_sides(base: dict[str, Any], over: dict[str, Any]) -> None:
    assert set(deep_merge(base, over)) == set(base) | set(over)


@given(mappings, mappings)
def test_merge_override_wins_unless_both_sides_are_mappings(
    base: dict[str, Any], over: dict[str, Any]
) -> None:
    merged = deep_merge(base, over)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            assert merged[key] == deep_merge(base[key], value)
        else:
            assert merged[key] == value  # scalars win, lists are replaced, null replaces


@given(mappings, mappings)
def test_merge_keeps_base_values_the_override_does_not_name(
    base: dict[str, Any], over: dict[str, Any]
) -> None:
    merged = deep_merge(base, over)
    for key in set(base) - set(over):
        assert merged[key] == base[key]


@settings(max_examples=60, deadline=None)
@given(mappings, mappings, mappings, mappings)
def test_extends_chain_folds_from_the_root_base_outward(
    root: dict[str, Any], middle: dict[str, Any], leaf: dict[str, Any], override: dict[str, Any]
) -> None:
    """root <- middle (extends root) <- leaf (extends middle) <- manifest override.

    Merging is not associative (a middle layer may replace a mapping by a scalar that
    the leaf turns back into a mapping), so the order is part of the format: each file
    is laid over the result of its base chain, the manifest's override last."""
    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "pack"
        pack.mkdir()
        files = {
            "root.yaml": {"schema_version": "1.0", **root},
            "middle.yaml": {"schema_version": "1.0", "extends": "./root.yaml", **middle},
            "leaf.yaml": {"schema_version": "1.0", "extends": "./middle.yaml", **leaf},
        }
        for name, content in files.items():
            (pack / name).write_text(yaml.safe_dump(content))
        manifest = {
            "schema_version": "1.0",
            "soul": {"extends": "./leaf.yaml", "override": override},
        }
        (pack / "profession-pack.yaml").write_text(yaml.safe_dump(manifest))

        resolution = resolve_pack(pack)

    expected = {"schema_version": "1.0"}
    for layer in (root, middle, leaf, override):
        expected = deep_merge(expected, layer)
    assert resolution.problems == ()
    assert resolution.layers["soul"].data == expected


@given(mappings)
def test_empty_override_and_self_merge_change_nothing(base: dict[str, Any]) -> None:
    assert deep_merge(base, {}) == base
    assert deep_merge({}, base) == base
    assert deep_merge(base, base) == base


@given(mappings, mappings)
def test_merge_never_modifies_its_inputs(base: dict[str, Any], over: dict[str, Any]) -> None:
    base_before, over_before = copy.deepcopy(base), copy.deepcopy(over)

    deep_merge(base, over)

    assert (base, over) == (base_before, over_before)


def test_lists_are_replaced_not_appended() -> None:
    merged = deep_merge({"principles": ["a", "b", "c"], "x": {"y": [1]}}, {"x": {"y": [2]}})

    assert merged == {"principles": ["a", "b", "c"], "x": {"y": [2]}}


def test_merged_origins_point_at_the_file_that_set_each_value() -> None:
    base = Located(
        {"tone": {"default": "calm", "on_error": "direct"}, "principles": ["a", "b"]},
        "base.yaml",
        values={
            ("tone", "default"): Origin("base.yaml", 3, 12),
            ("tone", "on_error"): Origin("base.yaml", 4, 13),
            ("principles", 0): Origin("base.yaml", 6, 5),
            ("principles", 1): Origin("base.yaml", 7, 5),
        },
    )
    override = Located(
        {"tone": {"default": "warm"}, "principles": ["z"]},
        "profession-pack.yaml",
        values={
            ("tone", "default"): Origin("profession-pack.yaml", 9, 16),
            ("principles",): Origin("profession-pack.yaml", 10, 18),
        },
    )

    merged = merge_located(base, override)

    assert merged.origin(("tone", "default")).file == "profession-pack.yaml"
    assert merged.origin(("tone", "on_error")) == Origin("base.yaml", 4, 13)
    # The override replaced the list: no position inside it may come from the base.
    assert merged.origin(("principles", 1)) == Origin("profession-pack.yaml", 10, 18)
