"""Writing small packs to disk for tests: a valid baseline that tests then break."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

LAYER_FILES = {
    "soul": "SOUL.yaml",
    "role": "ROLE.yaml",
    "tools": "TOOLS.yaml",
    "guardrails": "GUARDRAILS.yaml",
    "memory": "MEMORY.yaml",
    "workflow": "WORKFLOW.yaml",
}

BASELINE: dict[str, Any] = {
    "manifest": {
        "schema_version": "1.0",
        "pack_id": "demo-analyst",
        "version": "0.1.0",
        "risk_level": "low",
        "author": {"name": "Test"},
        "compatibility": {"required_tools": ["search"], "required_memory": ["episodic"]},
    },
    "soul": {
        "schema_version": "1.0",
        "identity": {"name": "Ada", "language": "en"},
        "personality": {"communication_style": "professional", "verbosity": "concise"},
        "principles": ["Cite sources", "Say what you do not know", "Prefer simple answers"],
    },
    "role": {
        "schema_version": "1.0",
        "title": "Data Analyst",
        "domain": "Analytics",
        "seniority": "middle",
        "goal": {"primary": "Answer questions with data"},
    },
    "tools": {
        "schema_version": "1.0",
        "available": [
            {
                "id": "search",
                "name": "Search",
                "kind": "http",
                "endpoint": "https://search.example.com/api",
                "risk_level": "low",
            },
            {
                "id": "sql",
                "name": "SQL",
                "kind": "http",
                "endpoint": "https://warehouse.example.com/sql",
                "sandbox": {"timeout": "30s", "network": "none"},
            },
        ],
        "denied": ["shell"],
    },
    "memory": {"schema_version": "1.0", "episodic": {"enabled": True}},
    "workflow": {
        "schema_version": "1.0",
        "sop": [
            {
                "id": "answer",
                "name": "Answer",
                "trigger": "a question about data",
                "steps": [
                    {"id": "look", "action": "Search", "tool": "search", "on_success": "query"},
                    {
                        "id": "query",
                        "action": "Query",
                        "tool": "sql",
                        "on_success": "done",
                        "on_failure": "look",
                    },
                ],
            }
        ],
    },
}

SKILL = (
    "---\nid: chart\nname: Chart\ntrigger: asked for a chart\nrequired_tools: [sql]\n---\n"
    "Draw it.\n"
)


def baseline() -> dict[str, Any]:
    """A fresh, valid pack description (mutate it freely)."""
    return copy.deepcopy(BASELINE)


def write_pack(folder: Path, pack: dict[str, Any], skills: dict[str, str] | None = None) -> Path:
    """Write `pack` as a manifest plus one file per layer; skills under SKILLS/."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = dict(pack["manifest"])
    for name, filename in LAYER_FILES.items():
        if name in pack:
            (folder / filename).write_text(yaml.safe_dump(pack[name], sort_keys=False))
            manifest[name] = {"file": f"./{filename}"}
    skill_texts = {"chart": SKILL} if skills is None else skills
    if skill_texts:
        (folder / "SKILLS").mkdir(exist_ok=True)
        manifest["skills"] = []
        for skill_id, text in skill_texts.items():
            (folder / "SKILLS" / f"{skill_id}.md").write_text(text)
            manifest["skills"].append({"file": f"./SKILLS/{skill_id}.md"})
    (folder / "profession-pack.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder
