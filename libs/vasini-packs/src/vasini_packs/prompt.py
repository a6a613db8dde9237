"""The system prompt a composed pack gives the model.

Markdown, sections in a fixed order, every list in the order the author wrote it, no
timestamps or ids: the same pack always builds the same prompt (a snapshot test holds
it). Each layer that says something about how the agent behaves appears here; tool
schemas do not, since they reach the model as tool definitions.
"""

from __future__ import annotations

from collections.abc import Iterable

from vasini_packs.composed import ComposedPack, Skill
from vasini_packs.models import Competency, Guardrails, Role, SopStep, Soul, Tools, Workflow

_ADAPTATIONS = (
    ("beginner_user", "With a beginner"),
    ("expert_user", "With an expert"),
    ("crisis_mode", "In a crisis"),
)
_TONES = (
    ("default", "By default"),
    ("on_success", "On success"),
    ("on_error", "On an error"),
    ("on_uncertainty", "When uncertain"),
)


def build_prompt(pack: ComposedPack) -> str:
    """The system prompt for `pack`."""
    sections = [
        _identity(pack),
        *(_soul(pack.soul) if pack.soul else ()),
        *_role(pack.role),
        *_tools(pack.tools),
        _skills(pack.skills),
        _rules(pack.guardrails),
        *_workflow(pack.workflow),
    ]
    return "\n\n".join(section for section in sections if section).strip() + "\n"


def _identity(pack: ComposedPack) -> str:
    role = pack.role
    name = pack.soul.identity.name if pack.soul else pack.pack_id
    lines = [
        f"# {name}",
        f"You are {name}: {role.title}, {role.domain} ({role.seniority} level).",
    ]
    if pack.soul:
        identity = pack.soul.identity
        others = [code for code in identity.languages or () if code != identity.language]
        also = f" You also work in: {', '.join(others)}." if others else ""
        lines.append(
            f"Answer in the user's language when you can; default to {identity.language}.{also}"
        )
    return "\n".join(lines)


def _soul(soul: Soul) -> list[str]:
    personality = soul.personality
    sections = [
        _heading(
            "Personality",
            [
                f"Communication style: {personality.communication_style}"
                if personality.communication_style
                else "",
                f"Verbosity: {personality.verbosity}" if personality.verbosity else "",
                f"Proactivity: {personality.proactivity}" if personality.proactivity else "",
                f"Confidence: {personality.confidence_expression}"
                if personality.confidence_expression
                else "",
            ],
        )
    ]
    if soul.tone:
        sections.append(
            _heading("Tone", [_labelled(label, getattr(soul.tone, key)) for key, label in _TONES])
        )
    if soul.principles:
        sections.append(_numbered("Principles", soul.principles))
    if soul.adaptations:
        sections.append(
            _heading(
                "Adapt to the situation",
                [_labelled(label, getattr(soul.adaptations, key)) for key, label in _ADAPTATIONS],
            )
        )
    return sections


def _role(role: Role) -> list[str]:
    goal = [
        f"Primary: {role.goal.primary}",
        *(f"Also: {item}" for item in role.goal.secondary or ()),
    ]
    sections = [
        _heading("Role", [f"{role.title} ({role.seniority}), {role.domain}"]),
        _heading("Goal", goal),
    ]
    if role.backstory:
        sections.append(f"## Backstory\n{role.backstory.strip()}")
    competencies = role.competency_graph.skills if role.competency_graph else ()
    if competencies:
        sections.append(_heading("Competencies", [_competency(item) for item in competencies]))
    knowledge = role.domain_knowledge
    if knowledge and (knowledge.primary or knowledge.secondary):
        sections.append(
            _heading(
                "Domain knowledge",
                [
                    _labelled("Primary", ", ".join(knowledge.primary or ())),
                    _labelled("Secondary", ", ".join(knowledge.secondary or ())),
                ],
            )
        )
    if role.limitations:
        sections.append(_heading("Limitations (say so and hand over)", role.limitations))
    return sections


def _competency(skill: Competency) -> str:
    parts = [f"{skill.name}: {skill.level}"]
    if skill.tasks:
        parts.append("Tasks: " + "; ".join(skill.tasks))
    targets = [
        f"{metric.name} at least {metric.target:g}"
        for metric in skill.metrics or ()
        if metric.name and metric.target is not None
    ]
    if targets:
        parts.append("Targets: " + "; ".join(targets))
    return ". ".join(parts)


def _tools(tools: Tools | None) -> list[str]:
    if tools is None:
        return []
    lines = []
    for tool in tools.available or ():
        notes = [f"risk {tool.risk_level}"]
        if tool.requires_approval:
            notes.append("needs human approval")
        description = f": {tool.description.strip()}" if tool.description else ""
        lines.append(f"`{tool.id}` ({tool.name}){description} [{', '.join(notes)}]")
    sections = [_heading("Tools you may use", lines)] if lines else []
    if tools.denied:
        sections.append(_heading("Tools you must never use", [f"`{t}`" for t in tools.denied]))
    return sections


def _skills(skills: Iterable[Skill]) -> str:
    blocks = []
    for skill in skills:
        front = skill.frontmatter
        block = [f"### {front.name} (`{front.id}`)", f"Use when: {front.trigger}"]
        if front.required_tools:
            block.append(f"Tools: {', '.join(front.required_tools)}")
        block.append(_nested(skill.body))
        blocks.append("\n".join(line for line in block if line))
    return "## Skills\n\n" + "\n\n".join(blocks) if blocks else ""


def _rules(guardrails: Guardrails) -> str:
    behavioral = guardrails.behavioral
    parts = ["## Rules"]
    if behavioral and behavioral.prohibited_actions:
        parts.append(_bullets("Never", behavioral.prohibited_actions))
    if behavioral and behavioral.required_disclaimers:
        parts.append(_bullets("Always include these disclaimers", behavioral.required_disclaimers))
    if behavioral and behavioral.escalation_triggers:
        parts.append(_bullets("Stop and ask a human when", behavioral.escalation_triggers))
    steps = behavioral.max_autonomous_steps if behavioral else 10
    parts.append(f"Take at most {steps} steps on your own before checking in with the user.")
    return "\n\n".join(parts)


def _workflow(workflow: Workflow | None) -> list[str]:
    if workflow is None:
        return []
    sections = []
    for sop in workflow.sop or ():
        lines = [f"### {sop.name} (`{sop.id}`)"]
        if sop.trigger:
            lines.append(f"Use when: {sop.trigger}")
        for number, step in enumerate(sop.steps, start=1):
            lines.append(f"{number}. `{step.id}`: {step.action}{_step_notes(step)}")
        if sop.max_duration:
            lines.append(f"Finish within {sop.max_duration}.")
        if sop.escalation:
            lines.append(f"Escalation: {sop.escalation}")
        sections.append("\n".join(lines))
    result = [f"## Standard operating procedures\n\n{chr(10).join(sections)}"] if sections else []
    handoffs = [
        f"To `{handoff.target_agent}` ({handoff.context_transfer} context) when: "
        + "; ".join(handoff.conditions)
        for handoff in workflow.handoffs or ()
    ]
    if handoffs:
        result.append(_heading("Hand off", handoffs))
    return result


def _step_notes(step: SopStep) -> str:
    notes = [
        f"tool `{step.tool}`" if step.tool else "",
        f"within {step.timeout}" if step.timeout else "",
        "needs approval" if step.requires_approval else "",
        f"then `{step.on_success}`" if step.on_success else "",
        f"if it fails `{step.on_failure}`" if step.on_failure else "",
    ]
    kept = [note for note in notes if note]
    return f" ({'; '.join(kept)})" if kept else ""


def _nested(markdown: str) -> str:
    """Skill procedures sit under a level-3 heading: demote their own headings (not
    `#` lines inside fenced code, which are comments)."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        lines.append(f"###{line}" if line.startswith("#") and not fenced else line)
    return "\n".join(lines)


def _heading(title: str, lines: Iterable[str]) -> str:
    return _bullets(title, lines, level="##")


def _bullets(title: str, lines: Iterable[str], level: str = "###") -> str:
    items = [f"- {line}" for line in lines if line]
    return f"{level} {title}\n" + "\n".join(items) if items else ""


def _numbered(title: str, lines: Iterable[str]) -> str:
    return f"## {title}\n" + "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))


def _labelled(label: str, value: str | None) -> str:
    return f"{label}: {value}" if value else ""
