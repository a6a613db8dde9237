"""Pack references as clients write them."""

from __future__ import annotations

import pytest

from vasini_composer.domain.errors import PackNotFound
from vasini_composer.domain.reference import PackReference, parse_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bench-echo", PackReference("bench-echo", "bench-echo")),
        ("bench-echo@1.2.3", PackReference("bench-echo@1.2.3", "bench-echo", version="1.2.3")),
        ("bench-echo:latest", PackReference("bench-echo:latest", "bench-echo", channel="latest")),
        ("a1:prod", PackReference("a1:prod", "a1", channel="prod")),
        ("p@10.20.30", PackReference("p@10.20.30", "p", version="10.20.30")),
    ],
)
def test_the_three_forms_parse(text: str, expected: PackReference) -> None:
    assert parse_reference(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Bench-echo",
        "1pack",
        "-pack",
        "bench echo",
        "bench-echo@1",
        "bench-echo@1.2",
        "bench-echo@v1.2.3",
        "bench-echo@",
        "bench-echo:",
        "bench-echo:Prod",
        "bench-echo@1.2.3:latest",
        "bench-echo:latest@1.2.3",
        "_shared",
        "../bench-echo",
        "bench-echo\n",
        "x" * 129,
    ],
)
def test_bad_syntax_is_pack_not_found_explaining_the_forms(text: str) -> None:
    with pytest.raises(PackNotFound) as caught:
        parse_reference(text)

    assert caught.value.code == "PACK_NOT_FOUND"
    assert "is not a pack reference" in caught.value.message
    assert "<pack>@<version>" in caught.value.message


def test_a_long_bad_reference_is_shortened_in_the_message() -> None:
    with pytest.raises(PackNotFound) as caught:
        parse_reference("Y" * 200)

    assert "Y" * 77 + "..." in caught.value.message
    assert "Y" * 78 not in caught.value.message
