"""The composed agent configuration: one pack with every reference resolved and every
layer typed. This is what the platform runs, prompts from and digests."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from vasini_packs.models import (
    Guardrails,
    Manifest,
    Memory,
    Role,
    SkillFrontmatter,
    Soul,
    Tools,
    Workflow,
)

# Manifest fields that only say where layers come from; composition replaces them.
REFERENCE_FIELDS = frozenset(
    {"soul", "role", "tools", "guardrails", "memory", "workflow", "skills"}
)


class Skill(BaseModel):
    """A skill: frontmatter and the procedure text given to the model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    frontmatter: SkillFrontmatter
    body: str


class ComposedPack(BaseModel):
    """A pack after composition. GUARDRAILS is always present: an absent layer means
    the format's defaults (input 50000, output 100000, 10 autonomous steps)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    manifest: Manifest
    soul: Soul | None = None
    role: Role
    tools: Tools | None = None
    guardrails: Guardrails
    memory: Memory | None = None
    workflow: Workflow | None = None
    skills: tuple[Skill, ...] = ()

    @property
    def pack_id(self) -> str:
        return self.manifest.pack_id

    @property
    def version(self) -> str:
        return self.manifest.version

    def to_config(self) -> dict[str, Any]:
        """JSON data that `from_config` turns back into an equal pack: how a composed
        pack travels in events (`run.composed` carries it to the runtime)."""
        return self.model_dump(mode="json", exclude_none=True)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ComposedPack:
        """The pack `to_config` produced (raises pydantic's ValidationError otherwise)."""
        return cls.model_validate(config)

    def resolved(self) -> dict[str, Any]:
        """The pack as plain JSON data, defaults applied, unset fields and layer
        references dropped: what `vasini pack show` prints and the digest covers."""
        return {
            "manifest": self.manifest.model_dump(
                mode="json", exclude=set(REFERENCE_FIELDS), exclude_none=True
            ),
            **self.model_dump(mode="json", exclude={"manifest", "skills"}, exclude_none=True),
            "skills": [skill.model_dump(mode="json", exclude_none=True) for skill in self.skills],
        }
