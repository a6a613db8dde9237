"""Whatever a pack folder holds, validation reports problems; it never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vasini_packs import check_pack

from .pack_files import LAYER_FILES, baseline, write_pack

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
field_names = st.sampled_from(
    [
        "schema_version",
        "identity",
        "personality",
        "available",
        "sandbox",
        "sop",
        "steps",
        "file",
        "extends",
        "override",
        "skills",
        "goal",
        "title",
        "principles",
        "denied",
        "id",
    ]
)


def assert_reported(folder: Path) -> None:
    report = check_pack(folder)
    if report.ok:
        assert report.pack is not None
        return
    for problem in report.problems:
        assert problem.origin.file
        assert problem.message
        assert problem.fix


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["manifest", *LAYER_FILES]), json_values, min_size=1))
def test_random_documents_in_every_file(documents: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "random"
        folder.mkdir()
        manifest = documents.get("manifest", {})
        if isinstance(manifest, dict):
            manifest = {
                **manifest,
                **{name: {"file": f"./{file}"} for name, file in LAYER_FILES.items()},
            }
        (folder / "profession-pack.yaml").write_text(yaml.safe_dump(manifest))
        for name, file in LAYER_FILES.items():
            if name in documents:
                (folder / file).write_text(yaml.safe_dump(documents[name]))
        assert_reported(folder)


def plant(target: Any, path: list[str | int], value: Any) -> None:
    """Set `value` at `path`, creating mappings on the way; skip what cannot exist."""
    *parents, last = path
    for part in parents:
        if isinstance(target, dict) and isinstance(part, str):
            target = target.setdefault(part, {})
        elif isinstance(target, list) and isinstance(part, int) and part < len(target):
            target = target[part]
    fits_mapping = isinstance(target, dict) and isinstance(last, str)
    fits_list = isinstance(target, list) and isinstance(last, int) and last < len(target)
    if fits_mapping or fits_list:
        target[last] = value


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["manifest", "soul", "role", "tools", "memory", "workflow"]),
    st.lists(field_names | st.integers(0, 2), min_size=1, max_size=4),
    json_values,
)
def test_random_value_planted_in_a_valid_pack(
    document: str, path: list[str | int], value: Any
) -> None:
    pack = baseline()
    plant(pack[document], path, value)
    with tempfile.TemporaryDirectory() as tmp:
        assert_reported(write_pack(Path(tmp) / "planted", pack))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["profession-pack.yaml", *LAYER_FILES.values(), "SKILLS/chart.md"]),
    st.binary(max_size=200),
)
def test_random_bytes_in_any_file(file: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_pack(Path(tmp) / "bytes", baseline())
        (folder / file).write_bytes(content)
        assert_reported(folder)
