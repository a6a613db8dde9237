"""The system prompt: deterministic, and faithful to every layer that shapes behaviour.

The snapshot of the reference pack's prompt lives next to this file. After an
intended change, rewrite it with `VASINI_UPDATE_SNAPSHOTS=1 make test-unit` and review
the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

from vasini_packs import build_prompt, load_pack

from .pack_files import baseline, write_pack

REFERENCE = Path(__file__).resolve().parents[4] / "packs" / "senior-python-dev"
SNAPSHOT = Path(__file__).parent / "snapshots" / "senior-python-dev.prompt.md"


def test_reference_prompt_matches_the_snapshot() -> None:
    prompt = build_prompt(load_pack(REFERENCE))
    if os.environ.get("VASINI_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(prompt)

    assert prompt == SNAPSHOT.read_text()


def test_reference_prompt_names_every_part_of_the_pack() -> None:
    pack = load_pack(REFERENCE)
    prompt = build_prompt(pack)
    assert pack.soul is not None
    assert pack.workflow is not None

    expected = [
        pack.soul.identity.name,
        *(pack.soul.principles or ()),
        pack.role.title,
        pack.role.goal.primary,
        *(pack.role.limitations or ()),
        *(skill.frontmatter.trigger for skill in pack.skills),
        *(skill.body.splitlines()[0] for skill in pack.skills),
        *(pack.guardrails.behavioral.prohibited_actions or ()),
        *(pack.guardrails.behavioral.escalation_triggers or ()),
        *(step.action for sop in pack.workflow.sop or () for step in sop.steps),
        "qa-engineer",
    ]
    missing = [text for text in expected if text not in prompt]
    assert missing == []


def test_prompt_is_deterministic_and_follows_the_pack(tmp_path: Path) -> None:
    pack = baseline()
    pack["guardrails"] = {
        "schema_version": "1.0",
        "behavioral": {
            "prohibited_actions": ["Share raw customer rows"],
            "required_disclaimers": ["Figures are estimates"],
            "escalation_triggers": ["Any request to delete data"],
            "max_autonomous_steps": 4,
        },
    }
    first = build_prompt(load_pack(write_pack(tmp_path / "a", pack)))
    second = build_prompt(load_pack(write_pack(tmp_path / "b", pack)))

    assert first == second
    for text in (
        "Share raw customer rows",
        "Figures are estimates",
        "Any request to delete data",
        "at most 4 steps",
        "Say what you do not know",
        "Draw it.",
        "`shell`",
    ):
        assert text in first
    assert first.index("## Principles") < first.index("## Role") < first.index("## Skills")


def test_skill_headings_nest_under_the_skill_but_code_comments_stay(tmp_path: Path) -> None:
    skill = (
        "---\nid: chart\nname: Chart\ntrigger: t\n---\n"
        "# Steps\nDraw.\n```python\n# a comment\nplot()\n```\n## Done\n"
    )
    prompt = build_prompt(load_pack(write_pack(tmp_path / "a", baseline(), {"chart": skill})))

    assert "\n#### Steps\n" in prompt
    assert "\n# a comment\n" in prompt
    assert "\n##### Done" in prompt
