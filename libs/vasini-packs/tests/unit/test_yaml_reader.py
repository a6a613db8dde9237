"""The YAML reader: positions of values and keys, and refusal of hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vasini_packs.errors import PackInvalid, Problem
from vasini_packs.yaml_reader import MAX_DEPTH, MAX_FILE_BYTES, parse_yaml, read_yaml


def refusal(text: str) -> tuple[str, int | None, int | None]:
    with pytest.raises(PackInvalid) as caught:
        parse_yaml(text, "layer.yaml")
    (problem,) = caught.value.problems
    assert problem.origin.file == "layer.yaml"
    assert problem.fix
    return problem.code, problem.origin.line, problem.origin.column


def test_reader_records_line_and_column_of_values_and_keys() -> None:
    doc = parse_yaml("a: 1\nb:\n  - x\n  - {c: 2026-01-02}\n", "f.yaml")

    assert doc.data == {"a": 1, "b": ["x", {"c": "2026-01-02"}]}
    assert (doc.origin(("a",)).line, doc.origin(("a",)).column) == (1, 4)
    assert (doc.key_origin(("b",)).line, doc.key_origin(("b",)).column) == (2, 1)
    assert (doc.origin(("b", 1, "c")).line, doc.origin(("b", 1, "c")).column) == (4, 9)


def test_reader_falls_back_to_nearest_ancestor_origin() -> None:
    doc = parse_yaml("outer:\n  inner: 1\n", "f.yaml")

    assert doc.origin(("outer", "inner", "missing")).line == 2


def test_reader_offsets_lines_for_frontmatter() -> None:
    doc = parse_yaml("id: x\nname: y\n", "skill.md", first_line=2)

    assert doc.origin(("name",)).line == 3


def test_reader_turns_yaml_dates_into_iso_text() -> None:
    assert parse_yaml("d: 2026-11-25\n", "f.yaml").data == {"d": "2026-11-25"}


def test_reader_keeps_shared_aliases_within_budget() -> None:
    doc = parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml")

    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_reader_refuses_billion_laughs() -> None:
    rows = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")

    code, line, _ = refusal("\n".join(rows) + "\n")

    assert code == "yaml-too-large"
    assert line is not None
    assert line <= len(rows)


def test_reader_refuses_deep_block_nesting_at_the_limit() -> None:
    text = (
        "".join("  " * depth + f"k{depth}:\n" for depth in range(MAX_DEPTH + 5))
        + "  " * (MAX_DEPTH + 5)
        + "v\n"
    )

    code, line, _ = refusal(text)

    assert code == "yaml-too-deep"
    assert line == MAX_DEPTH + 1


def test_reader_refuses_deep_flow_nesting() -> None:
    code, line, _ = refusal("[" * 5000 + "]" * 5000)

    assert code in {"yaml-too-deep", "yaml-syntax"}
    assert line == 1


@pytest.mark.parametrize(
    ("text", "expected_code", "expected_line"),
    [
        ("a: 1\na: 2\n", "yaml-duplicate-key", 2),
        ("base: &x {b: 1}\nc:\n  <<: *x\n", "yaml-merge-key", 3),
        ("a: !!python/object/apply:os.system [ls]\n", "yaml-unsupported-tag", 1),
        ("a: !!binary aGVsbG8=\n", "yaml-unsupported-tag", 1),
        ("a: !!set {x: null}\n", "yaml-unsupported-tag", 1),
        ("1: one\n", "yaml-key-not-text", 1),
        ("yes: true\n", "yaml-key-not-text", 1),
        ("a: [1, 2\nb: 3\n", "yaml-syntax", 2),
        ("a: 1\n---\nb: 2\n", "yaml-multiple-documents", 2),
        ("a: .inf\n", "yaml-non-finite", 1),
        ("a: *nowhere\n", "yaml-unknown-alias", 1),
        ("? [1, 2]\n: x\n", "yaml-complex-key", 1),
        ("a:\n\tb: 1\n", "yaml-syntax", 2),
    ],
)
def test_reader_refuses_unsafe_or_ambiguous_yaml(
    text: str, expected_code: str, expected_line: int
) -> None:
    code, line, _ = refusal(text)

    assert (code, line) == (expected_code, expected_line)


def test_reader_refuses_non_utf8_with_position(tmp_path: Path) -> None:
    path = tmp_path / "SOUL.yaml"
    path.write_bytes(b"a: 1\nname: caf\xe9\n")

    with pytest.raises(PackInvalid) as caught:
        read_yaml(path, "SOUL.yaml")

    (problem,) = caught.value.problems
    assert (problem.code, problem.origin.line, problem.origin.column) == ("not-utf8", 2, 10)


def test_reader_refuses_oversized_file_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "ROLE.yaml"
    with path.open("wb") as stream:
        stream.truncate(10 * 1024 * 1024)

    with pytest.raises(PackInvalid) as caught:
        read_yaml(path, "ROLE.yaml")

    (problem,) = caught.value.problems
    assert problem.code == "file-too-large"
    assert str(MAX_FILE_BYTES) in problem.message


def test_reader_reports_missing_file_and_folder(tmp_path: Path) -> None:
    for path, expected in ((tmp_path / "nope.yaml", "does not exist"), (tmp_path, "folder")):
        with pytest.raises(PackInvalid) as caught:
            read_yaml(path, "x")
        assert caught.value.problems[0].code == "file-missing"
        assert expected in caught.value.problems[0].message


def test_reader_accepts_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")

    assert read_yaml(path, "f.yaml").data == {"a": 1}


def outcome(text: str, name: str) -> Problem | None:
    """None when the text reads; the single problem when it is refused."""
    try:
        parse_yaml(text, name)
    except PackInvalid as refused:
        (problem,) = refused.problems
        return problem
    return None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_read_or_refused_never_raised(text: str) -> None:
    problem = outcome(text, "random.yaml")

    assert problem is None or (problem.fix and problem.origin.file == "random.yaml")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a:",
                " ",
                "\n",
                "- ",
                "[",
                "]",
                "{",
                "}",
                "&x",
                "*x",
                "!!",
                "'",
                '"',
                ":",
                "?",
                "|",
                ">",
                "#",
                "---",
                "1",
                "x",
                ",",
                "\t",
                "<<",
                "%YAML",
            ]
        ),
        max_size=60,
    )
)
def test_yaml_shaped_noise_is_read_or_refused_never_raised(tokens: list[str]) -> None:
    problem = outcome("".join(tokens), "noise.yaml")

    assert problem is None or (problem.fix and problem.origin.file == "noise.yaml")
