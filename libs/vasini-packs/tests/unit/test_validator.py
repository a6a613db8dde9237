"""Validation end to end: schema and semantic problems, each with file, line, column,
JSON path and a fix; all problems of a pack at once; defaults applied when valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vasini_packs import PackInvalid, Problem, check_pack, load_pack

from .pack_files import baseline, write_pack


def problems_of(
    folder: Path, pack: dict[str, Any], skills: dict[str, str] | None = None
) -> list[Problem]:
    report = check_pack(write_pack(folder, pack, skills))
    assert report.pack is None
    assert report.problems
    for problem in report.problems:
        assert problem.message
        assert problem.fix
    return list(report.problems)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.render() for p in problems]
    return problems[0]


def test_baseline_pack_is_valid_with_defaults_applied(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "demo", baseline()))

    assert pack.pack_id == "demo-analyst"
    assert pack.guardrails.input.max_length == 50000
    assert pack.guardrails.output.max_length == 100000
    assert pack.guardrails.behavioral.max_autonomous_steps == 10
    assert pack.tools is not None
    assert [tool.risk_level for tool in pack.tools.available] == ["low", "medium"]
    assert [tool.requires_approval for tool in pack.tools.available] == [False, False]
    assert pack.skills[0].body == "Draw it."


def test_enum_typo_points_at_the_value_and_suggests_the_word(tmp_path: Path) -> None:
    pack = baseline()
    pack["soul"]["personality"]["verbosity"] = "consise"

    problem = only(problems_of(tmp_path / "demo", pack))

    assert problem.origin.file.endswith("demo/SOUL.yaml")
    assert problem.origin.line is not None
    assert problem.path == "soul.personality.verbosity"
    assert "`concise`" in problem.fix


def test_unknown_key_points_at_the_key_and_suggests_the_field(tmp_path: Path) -> None:
    pack = baseline()
    pack["role"]["goals"] = pack["role"].pop("goal")

    problems = problems_of(tmp_path / "demo", pack)

    unknown = next(p for p in problems if p.code == "unknown-field")
    missing = next(p for p in problems if p.code == "field-missing")
    assert unknown.path == "role.goals"
    assert "`goal`" in unknown.fix
    assert "goal" in missing.message


def test_string_where_a_number_is_needed(tmp_path: Path) -> None:
    pack = baseline()
    pack["guardrails"] = {"schema_version": "1.0", "input": {"max_length": "5"}}

    problem = only(problems_of(tmp_path / "demo", pack))

    assert (problem.code, problem.path) == ("wrong-type", "guardrails.input.max_length")
    assert problem.origin.file.endswith("GUARDRAILS.yaml")


def test_wildcard_egress_is_refused_with_the_schema_hint(tmp_path: Path) -> None:
    pack = baseline()
    pack["tools"]["available"][1]["sandbox"] = {
        "network": "egress_allowlist",
        "egress_allowlist": ["*"],
    }

    problem = only(problems_of(tmp_path / "demo", pack))

    assert problem.path == "tools.available[1].sandbox.egress_allowlist[0]"
    assert problem.code == "schema-pattern"


def test_every_problem_of_every_file_is_reported_in_one_pass(tmp_path: Path) -> None:
    pack = baseline()
    pack["manifest"]["version"] = "1.0"
    pack["soul"]["principles"] = ["only one"]
    pack["role"]["seniority"] = "wizard"
    pack["tools"]["available"][0]["sandbox"] = {"timeout": "30 seconds"}

    problems = problems_of(tmp_path / "demo", pack)

    assert {p.path for p in problems} == {
        "version",
        "soul.principles",
        "role.seniority",
        "tools.available[0].sandbox.timeout",
    }
    files = {Path(p.origin.file).name for p in problems}
    assert files == {"profession-pack.yaml", "SOUL.yaml", "ROLE.yaml", "TOOLS.yaml"}


def test_unsupported_schema_version_says_what_is_supported(tmp_path: Path) -> None:
    pack = baseline()
    pack["memory"]["schema_version"] = "2.0"

    problem = only(problems_of(tmp_path / "demo", pack))

    assert problem.code == "schema-version-unsupported"
    assert "1.x" in problem.message


def mutate(pack: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target = pack
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        (
            (("manifest", "compatibility", "required_tools"), ["search", "web"]),
            "required-tool-unavailable",
            "compatibility.required_tools[1]",
        ),
        (
            (("manifest", "compatibility", "required_tools"), ["shell"]),
            "required-tool-unavailable",
            "compatibility.required_tools[0]",
        ),
        (
            (("manifest", "compatibility", "required_memory"), ["factual"]),
            "required-memory-disabled",
            "compatibility.required_memory[0]",
        ),
        ((("tools", "denied"), ["sql"]), "tool-available-and-denied", "tools.denied[0]"),
        ((("tools", "available", 1, "id"), "search"), "duplicate-id", "tools.available[1].id"),
        (
            (("tools", "available", 1), {"id": "sql", "name": "SQL", "kind": "http"}),
            "http-tool-without-endpoint",
            "tools.available[1]",
        ),
        (
            (("tools", "available", 1, "kind"), "builtin"),
            "unknown-builtin-tool",
            "tools.available[1]",
        ),
        (
            (("workflow", "sop", 0, "steps", 1, "on_failure"), "retry"),
            "step-target-unknown",
            "workflow.sop[0].steps[1].on_failure",
        ),
        (
            (("workflow", "sop", 0, "steps", 0, "tool"), "browser"),
            "step-tool-unavailable",
            "workflow.sop[0].steps[0].tool",
        ),
        (
            (("workflow", "sop", 0, "steps", 1, "id"), "look"),
            "duplicate-id",
            "workflow.sop[0].steps[1].id",
        ),
        (
            (("tools", "available", 1, "sandbox"), {"network": "egress_allowlist"}),
            "egress-allowlist-empty",
            "tools.available[1].sandbox",
        ),
        (
            (("tools", "available", 1, "sandbox"), {"filesystem": "scoped"}),
            "scoped-paths-empty",
            "tools.available[1].sandbox",
        ),
        (
            (("manifest", "compatibility"), {"framework_min": "2.0.0", "framework_max": "1.9.9"}),
            "framework-range-empty",
            "compatibility.framework_min",
        ),
        (
            (
                ("role", "competency_graph"),
                {"skills": [{"id": "sql", "name": "A", "level": "expert"}] * 2},
            ),
            "duplicate-id",
            "role.competency_graph.skills[1].id",
        ),
        (
            (
                ("workflow", "handoffs"),
                [{"target_agent": "demo-analyst", "conditions": ["always"]}],
            ),
            "handoff-to-self",
            "workflow.handoffs[0].target_agent",
        ),
    ],
)
def test_semantic_checks(
    tmp_path: Path, change: tuple[tuple[Any, ...], Any], code: str, where: str
) -> None:
    pack = baseline()
    mutate(pack, *change)

    problems = problems_of(tmp_path / "demo", pack)

    # A broken reference may also break what depends on it (a denied tool used by a
    # skill); the problem under test must be among them, at its own path.
    problem = next(p for p in problems if p.path == where)
    assert problem.code == code
    assert problem.origin.line is not None


def test_skill_requiring_an_undeclared_tool(tmp_path: Path) -> None:
    skill = "---\nid: chart\nname: Chart\ntrigger: t\nrequired_tools: [plotter]\n---\nDraw.\n"

    problem = only(problems_of(tmp_path / "demo", baseline(), {"chart": skill}))

    assert (problem.code, problem.path) == ("skill-tool-unavailable", "skills[0].required_tools[0]")
    assert problem.origin.file.endswith("SKILLS/chart.md")
    assert problem.origin.line == 5


def test_skill_without_trigger(tmp_path: Path) -> None:
    skill = "---\nid: chart\nname: Chart\n---\nDraw.\n"

    problem = only(problems_of(tmp_path / "demo", baseline(), {"chart": skill}))

    assert (problem.code, problem.path) == ("field-missing", "skills[0]")
    assert "trigger" in problem.message


def test_load_pack_raises_pack_invalid_carrying_every_problem(tmp_path: Path) -> None:
    pack = baseline()
    pack["soul"]["personality"]["verbosity"] = "loud"
    pack["role"]["seniority"] = "wizard"

    with pytest.raises(PackInvalid) as caught:
        load_pack(write_pack(tmp_path / "demo", pack))

    assert len(caught.value.problems) == 2


def test_two_skills_with_one_id(tmp_path: Path) -> None:
    skill = "---\nid: chart\nname: Chart\ntrigger: t\n---\nDraw.\n"

    problem = only(problems_of(tmp_path / "demo", baseline(), {"a": skill, "b": skill}))

    assert (problem.code, problem.path) == ("duplicate-id", "skills[1].id")
    assert problem.origin.file.endswith("SKILLS/b.md")


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
    for prev, name in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize(
    ("file", "content", "code"),
    [
        ("SOUL.yaml", b"identity: {name: [unclosed\n", "yaml-syntax"),
        ("ROLE.yaml", b"schema_version: '1.0'\ntitle: caf\xe9\n", "not-utf8"),
        ("TOOLS.yaml", b"x" * (10 * 1024 * 1024), "file-too-large"),
        ("MEMORY.yaml", BILLION_LAUGHS.encode(), "yaml-too-large"),
        ("WORKFLOW.yaml", b"".join(b"  " * d + b"k:\n" for d in range(200)), "yaml-too-deep"),
        ("SKILLS/chart.md", b"# Chart\nNo frontmatter here.\n", "skill-frontmatter-missing"),
        ("profession-pack.yaml", b"- not\n- a mapping\n", "not-a-mapping"),
    ],
)
def test_hostile_or_broken_files_become_problems(
    tmp_path: Path, file: str, content: bytes, code: str
) -> None:
    folder = write_pack(tmp_path / "demo", baseline())
    (folder / file).write_bytes(content)

    report = check_pack(folder)

    assert report.pack is None
    assert code in [problem.code for problem in report.problems]
    hit = next(problem for problem in report.problems if problem.code == code)
    assert hit.origin.file.endswith(file)
