"""The checks a JSON Schema cannot express: references between layers of one pack.

Each finding names the document it belongs to (`manifest`, a layer name or
`skills[i]`) and the JSON path inside it, so the caller can point at the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from vasini_packs.builtin_tools import BUILTIN_TOOL_SCHEMAS
from vasini_packs.composed import ComposedPack
from vasini_packs.located import JsonPath

DONE = "done"


@dataclass(frozen=True, slots=True)
class Finding:
    """A semantic problem before it is given a file position."""

    document: str
    path: JsonPath
    code: str
    message: str
    fix: str


def semantic_findings(pack: ComposedPack) -> list[Finding]:
    """Every cross-reference problem of a pack whose layers each passed their schema."""
    return [
        *_tool_findings(pack),
        *_compatibility_findings(pack),
        *_skill_findings(pack),
        *_workflow_findings(pack),
        *_duplicates("role", ("competency_graph", "skills"), _competency_ids(pack), "competency"),
    ]


def _competency_ids(pack: ComposedPack) -> list[str]:
    graph = pack.role.competency_graph
    return [skill.id for skill in graph.skills or ()] if graph else []


def _declared(pack: ComposedPack) -> tuple[set[str], set[str]]:
    if pack.tools is None:
        return set(), set()
    return {tool.id for tool in pack.tools.available or ()}, set(pack.tools.denied or ())


def _unusable_tool(pack: ComposedPack, tool_id: str) -> tuple[str, str] | None:
    """Why `tool_id` cannot be used by this pack (message, fix), or None if it can."""
    declared, denied = _declared(pack)
    if tool_id in denied:
        return f"tool `{tool_id}` is in tools.denied", f"remove `{tool_id}` from tools.denied"
    if tool_id not in declared:
        known = ", ".join(sorted(declared)) or "none declared"
        return (
            f"tool `{tool_id}` is not declared in tools.available",
            f"declare `{tool_id}` in TOOLS or use a declared tool ({known})",
        )
    return None


def _tool_findings(pack: ComposedPack) -> Iterator[Finding]:
    if pack.tools is None:
        return
    available = pack.tools.available or ()
    yield from _duplicates("tools", ("available",), [tool.id for tool in available], "tool")
    for index, tool in enumerate(available):
        at = ("available", index)
        if tool.kind == "builtin" and tool.id not in BUILTIN_TOOL_SCHEMAS:
            yield Finding(
                "tools",
                at,
                "unknown-builtin-tool",
                f"`{tool.id}` is not a built-in tool (kind defaults to builtin); the "
                f"platform's are {', '.join(sorted(BUILTIN_TOOL_SCHEMAS))}",
                "use one of those ids, or set `kind: http` and an `endpoint` for a tool "
                "your own service provides",
            )
        if tool.kind == "http" and not tool.endpoint:
            yield Finding(
                "tools",
                at,
                "http-tool-without-endpoint",
                f"http tool `{tool.id}` has no endpoint",
                "add `endpoint: https://...`",
            )
        sandbox = tool.sandbox
        if sandbox is None:
            continue
        if sandbox.network == "egress_allowlist" and not sandbox.egress_allowlist:
            yield Finding(
                "tools",
                (*at, "sandbox"),
                "egress-allowlist-empty",
                f"tool `{tool.id}` allows egress to an allowlist but lists no hosts",
                "list the hosts in `egress_allowlist`, or set `network: none`",
            )
        if sandbox.filesystem == "scoped" and not sandbox.scoped_paths:
            yield Finding(
                "tools",
                (*at, "sandbox"),
                "scoped-paths-empty",
                f"tool `{tool.id}` has a scoped filesystem but no scoped_paths",
                "list the paths in `scoped_paths`, or pick another `filesystem`",
            )
    declared = {tool.id for tool in available}
    for index, tool_id in enumerate(pack.tools.denied or ()):
        if tool_id in declared:
            yield Finding(
                "tools",
                ("denied", index),
                "tool-available-and-denied",
                f"tool `{tool_id}` is both available and denied",
                f"remove `{tool_id}` from one of the two lists",
            )


def _compatibility_findings(pack: ComposedPack) -> Iterator[Finding]:
    compatibility = pack.manifest.compatibility
    if compatibility is None:
        return
    for index, tool_id in enumerate(compatibility.required_tools or ()):
        reason = _unusable_tool(pack, tool_id)
        if reason:
            yield Finding(
                "manifest",
                ("compatibility", "required_tools", index),
                "required-tool-unavailable",
                *reason,
            )
    for index, kind in enumerate(compatibility.required_memory or ()):
        if not _memory_enabled(pack, kind):
            yield Finding(
                "manifest",
                ("compatibility", "required_memory", index),
                "required-memory-disabled",
                f"memory `{kind}` is required but not enabled in MEMORY",
                f"enable it: `{kind}: {{enabled: true}}` in the memory layer",
            )
    low, high = compatibility.framework_min, compatibility.framework_max
    if low and high and _semver(low) > _semver(high):
        yield Finding(
            "manifest",
            ("compatibility", "framework_min"),
            "framework-range-empty",
            f"framework_min {low} is above framework_max {high}",
            "swap or correct the two",
        )


def _memory_enabled(pack: ComposedPack, kind: str) -> bool:
    section = getattr(pack.memory, kind, None) if pack.memory else None
    return bool(section is not None and section.enabled)


def _skill_findings(pack: ComposedPack) -> Iterator[Finding]:
    ids = [skill.frontmatter.id for skill in pack.skills]
    for index in _repeats(ids):
        yield Finding(
            f"skills[{index}]",
            ("id",),
            "duplicate-id",
            f"skill id `{ids[index]}` is used by another skill",
            "give each skill its own id",
        )
    for index, skill in enumerate(pack.skills):
        for position, tool_id in enumerate(skill.frontmatter.required_tools or ()):
            reason = _unusable_tool(pack, tool_id)
            if reason:
                yield Finding(
                    f"skills[{index}]",
                    ("required_tools", position),
                    "skill-tool-unavailable",
                    *reason,
                )


def _workflow_findings(pack: ComposedPack) -> Iterator[Finding]:
    workflow = pack.workflow
    if workflow is None:
        return
    sops = workflow.sop or ()
    yield from _duplicates("workflow", ("sop",), [sop.id for sop in sops], "SOP")
    for number, sop in enumerate(sops):
        step_ids = [step.id for step in sop.steps]
        at = ("sop", number, "steps")
        yield from _duplicates("workflow", at, step_ids, f"step of SOP `{sop.id}`")
        targets = {*step_ids, DONE}
        for index, step in enumerate(sop.steps):
            if step.tool is not None:
                reason = _unusable_tool(pack, step.tool)
                if reason:
                    yield Finding(
                        "workflow", (*at, index, "tool"), "step-tool-unavailable", *reason
                    )
            for edge in ("on_success", "on_failure"):
                target = getattr(step, edge)
                if target is not None and target not in targets:
                    yield Finding(
                        "workflow",
                        (*at, index, edge),
                        "step-target-unknown",
                        f"`{target}` is not a step of SOP `{sop.id}`",
                        f"name one of: {', '.join(sorted(targets))}",
                    )
    for index, handoff in enumerate(workflow.handoffs or ()):
        if handoff.target_agent == pack.manifest.pack_id:
            yield Finding(
                "workflow",
                ("handoffs", index, "target_agent"),
                "handoff-to-self",
                "the pack hands off to itself",
                "name another pack's id",
            )


def _duplicates(document: str, at: JsonPath, ids: list[str], what: str) -> Iterator[Finding]:
    for index in _repeats(ids):
        yield Finding(
            document,
            (*at, index, "id"),
            "duplicate-id",
            f"{what} id `{ids[index]}` is used twice",
            f"give each {what} its own id",
        )


def _repeats(ids: Iterable[str]) -> Iterator[int]:
    """Indexes of ids already seen earlier in the list."""
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            yield index
        seen.add(item)


def _semver(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
