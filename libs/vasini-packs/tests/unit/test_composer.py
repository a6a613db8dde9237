"""Resolving references: file, extends + override, chains, inline layers, skills."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vasini_packs.composer import Resolution, resolve_pack


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "_shared/souls/base.yaml": """
                schema_version: "1.0"
                personality: {communication_style: formal, verbosity: detailed}
                principles: [a, b, c]
            """,
            "_shared/souls/warm.yaml": """
                schema_version: "1.0"
                extends: ./base.yaml
                personality: {communication_style: casual}
            """,
            "_shared/skills/report.md": """
                ---
                id: report
                name: Report
                trigger: when asked
                ---
                Write the report.\r
            """,
        },
    )
    return tmp_path


def resolve(root: Path, manifest: str, files: dict[str, str] | None = None) -> Resolution:
    write(root / "demo", {"profession-pack.yaml": manifest, **(files or {})})
    return resolve_pack(root / "demo")


def problem_codes(resolution: Resolution) -> list[str]:
    return [problem.code for problem in resolution.problems]


def test_extends_chain_merges_root_first_then_the_manifest_override(packs: Path) -> None:
    resolution = resolve(
        packs,
        """
        schema_version: "1.0"
        soul:
          extends: ../_shared/souls/warm.yaml
          override:
            identity: {name: Ada, language: en}
            principles: [only one]
        """,
    )

    assert resolution.problems == ()
    soul = resolution.layers["soul"]
    assert soul.data == {
        "schema_version": "1.0",
        "personality": {"communication_style": "casual", "verbosity": "detailed"},
        "principles": ["only one"],
        "identity": {"name": "Ada", "language": "en"},
    }
    assert soul.origin(("personality", "communication_style")).file.endswith("warm.yaml")
    assert soul.origin(("personality", "verbosity")).file.endswith("base.yaml")
    assert soul.origin(("principles",)).file.endswith("profession-pack.yaml")
    assert soul.origin(("principles",)).line == 6


def test_file_layer_and_inline_layer_inheriting_schema_version(packs: Path) -> None:
    resolution = resolve(
        packs,
        """
        schema_version: "1.0"
        role: {file: ./ROLE.yaml}
        memory:
          short_term: {enabled: true}
        """,
        {"ROLE.yaml": 'schema_version: "1.0"\ntitle: Analyst\n'},
    )

    assert resolution.problems == ()
    assert resolution.layers["role"].data == {"schema_version": "1.0", "title": "Analyst"}
    assert resolution.layers["memory"].data == {
        "schema_version": "1.0",
        "short_term": {"enabled": True},
    }


def test_extends_cycle_is_an_error_naming_every_file(packs: Path) -> None:
    resolution = resolve(
        packs,
        """
        schema_version: "1.0"
        soul: {file: ./a.yaml}
        """,
        {
            "a.yaml": 'schema_version: "1.0"\nextends: ./b.yaml\n',
            "b.yaml": 'schema_version: "1.0"\nextends: ./c.yaml\n',
            "c.yaml": 'schema_version: "1.0"\nextends: ./a.yaml\n',
        },
    )

    (problem,) = resolution.problems
    assert problem.code == "extends-cycle"
    chain = [part.rsplit("/", 1)[-1] for part in problem.message.split(": ", 1)[1].split(" -> ")]
    assert chain == ["a.yaml", "b.yaml", "c.yaml", "a.yaml"]


def test_self_extends_is_a_cycle(packs: Path) -> None:
    resolution = resolve(
        packs,
        'schema_version: "1.0"\nsoul: {file: ./a.yaml}\n',
        {"a.yaml": 'schema_version: "1.0"\nextends: ./a.yaml\n'},
    )

    assert problem_codes(resolution) == ["extends-cycle"]


def test_every_broken_reference_is_reported_at_once(packs: Path) -> None:
    resolution = resolve(
        packs,
        """
        schema_version: "1.0"
        soul: {file: ./MISSING.yaml}
        role: {extends: ../../etc/passwd}
        tools: {file: /etc/passwd}
        workflow: {file: ./WORKFLOW.yaml}
        skills:
          - file: ./SKILLS/plain.md
        """,
        {"WORKFLOW.yaml": "default_process: adaptive\n", "SKILLS/plain.md": "no frontmatter\n"},
    )

    by_code = {problem.code: problem for problem in resolution.problems}
    assert set(by_code) == {
        "file-missing",
        "reference-escapes",
        "reference-absolute",
        "schema-version-missing",
        "skill-frontmatter-missing",
    }
    assert by_code["reference-escapes"].origin.line == 3
    assert by_code["reference-absolute"].origin.line == 4
    assert by_code["file-missing"].origin.file.endswith("MISSING.yaml")


def test_file_reference_may_not_reach_the_shared_root(packs: Path) -> None:
    resolution = resolve(packs, 'schema_version: "1.0"\nsoul: {file: ../_shared/souls/base.yaml}\n')

    assert problem_codes(resolution) == ["reference-escapes"]


def test_symlinked_layer_leaving_the_pack_is_refused(packs: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text('schema_version: "1.0"\n')
    (packs / "demo").mkdir()
    (packs / "demo" / "SOUL.yaml").symlink_to(tmp_path / "secret.yaml")

    resolution = resolve(packs, 'schema_version: "1.0"\nsoul: {file: ./SOUL.yaml}\n')

    assert problem_codes(resolution) == ["reference-symlink-escape"]


def test_shared_skill_override_merges_frontmatter_and_may_replace_body(packs: Path) -> None:
    resolution = resolve(
        packs,
        """
        schema_version: "1.0"
        skills:
          - extends: ../_shared/skills/report.md
            override: {trigger: after an incident}
          - extends: ../_shared/skills/report.md
            override: {id: short-report, body: "Two lines.\\nAt most."}
        """,
    )

    assert resolution.problems == ()
    first, second = resolution.skills
    assert first.frontmatter.data == {
        "id": "report",
        "name": "Report",
        "trigger": "after an incident",
    }
    assert first.body == "Write the report."
    assert second.frontmatter.data["id"] == "short-report"
    assert second.body == "Two lines.\nAt most."


def test_skill_frontmatter_positions_are_file_lines(packs: Path) -> None:
    resolution = resolve(
        packs,
        'schema_version: "1.0"\nskills:\n  - file: ./SKILLS/s.md\n',
        {"SKILLS/s.md": "---\nid: s\nname: S\ntrigger: t\n---\nbody\n"},
    )

    (skill,) = resolution.skills
    assert skill.frontmatter.origin(("trigger",)).line == 4


def test_missing_manifest_and_missing_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    assert problem_codes(resolve_pack(tmp_path / "empty")) == ["manifest-missing"]
    assert problem_codes(resolve_pack(tmp_path / "nowhere")) == ["pack-not-found"]


@pytest.mark.parametrize("content", ["", "- a list\n", "just text\n"])
def test_manifest_that_is_not_a_mapping(tmp_path: Path, content: str) -> None:
    write(tmp_path / "demo", {"profession-pack.yaml": content})

    assert problem_codes(resolve_pack(tmp_path / "demo")) == ["not-a-mapping"]


def test_extra_shared_roots_are_honoured(tmp_path: Path) -> None:
    write(tmp_path / "elsewhere", {"soul.yaml": 'schema_version: "1.0"\nprinciples: [x, y, z]\n'})
    write(
        tmp_path / "demo",
        {
            "profession-pack.yaml": (
                'schema_version: "1.0"\nsoul: {extends: ../elsewhere/soul.yaml}\n'
            )
        },
    )

    assert problem_codes(resolve_pack(tmp_path / "demo")) == ["reference-escapes"]
    resolution = resolve_pack(tmp_path / "demo", [tmp_path / "elsewhere"])
    assert resolution.problems == ()
    assert resolution.layers["soul"].data["principles"] == ["x", "y", "z"]
