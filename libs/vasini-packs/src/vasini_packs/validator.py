"""Validating a pack end to end: resolve, check every document against its schema,
type it, check the cross-references, and report every problem at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vasini_packs.composed import ComposedPack
from vasini_packs.composer import Resolution, resolve_pack
from vasini_packs.errors import Origin, PackInvalid, Problem
from vasini_packs.located import Located
from vasini_packs.schema_check import render_path, schema_problems
from vasini_packs.semantic import semantic_findings

SUPPORTED_MAJOR = "1"


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating one pack: the composed pack, or its problems."""

    path: Path
    pack: ComposedPack | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_pack(path: Path, shared_roots: Sequence[Path] = ()) -> Report:
    """Validate the pack folder at `path`; never raises for anything in the folder."""
    resolution = resolve_pack(path, shared_roots)
    problems = [*resolution.problems, *_document_problems(resolution)]
    pack = None
    if not problems and resolution.manifest is not None:
        pack, typing_problems = _typed(resolution)
        problems.extend(typing_problems)
        if pack is not None:
            problems.extend(_semantic_problems(pack, resolution))
    ordered = tuple(sorted(set(problems), key=_reading_order))
    return Report(path=path, pack=None if ordered else pack, problems=ordered)


def load_pack(path: Path, shared_roots: Sequence[Path] = ()) -> ComposedPack:
    """The composed pack at `path`, or `PackInvalid` listing every problem."""
    report = check_pack(path, shared_roots)
    if report.pack is None:
        raise PackInvalid(report.problems)
    return report.pack


def _documents(resolution: Resolution) -> dict[str, tuple[str, Located]]:
    """Each document of the pack by subject, with the schema kind it must satisfy."""
    documents: dict[str, tuple[str, Located]] = {}
    if resolution.manifest is not None:
        documents["manifest"] = ("manifest", resolution.manifest)
    for name, layer in resolution.layers.items():
        documents[name] = (name, layer)
    for skill in resolution.skills:
        documents[f"skills[{skill.index}]"] = ("skill", skill.frontmatter)
    return documents


def _document_problems(resolution: Resolution) -> list[Problem]:
    problems: list[Problem] = []
    for subject, (kind, document) in _documents(resolution).items():
        prefix = "" if subject == "manifest" else subject
        problems.extend(schema_problems(kind, document, prefix))
        version = document.data.get("schema_version")
        if isinstance(version, str) and version.split(".")[0] != SUPPORTED_MAJOR:
            problems.append(
                Problem(
                    code="schema-version-unsupported",
                    message=f"schema_version {version} is not supported; this Vasini reads "
                    f"format {SUPPORTED_MAJOR}.x",
                    fix='write `schema_version: "1.0"`, or upgrade Vasini',
                    origin=document.origin(("schema_version",)),
                    path=render_path(prefix, ("schema_version",)),
                )
            )
    return problems


def _typed(resolution: Resolution) -> tuple[ComposedPack | None, list[Problem]]:
    """The typed pack. The models agree with the schemas (a test proves it), so a
    failure here is reported as problems, not raised, in case they ever drift."""
    assert resolution.manifest is not None
    manifest = resolution.manifest
    raw: dict[str, Any] = {name: layer.data for name, layer in resolution.layers.items()}
    raw.setdefault("guardrails", {"schema_version": manifest.data.get("schema_version")})
    raw["manifest"] = manifest.data
    raw["skills"] = [
        {"frontmatter": skill.frontmatter.data, "body": skill.body} for skill in resolution.skills
    ]
    try:
        return ComposedPack.model_validate(raw), []
    except ValidationError as exc:
        return None, [
            Problem(
                code="model-rejected",
                message=error["msg"],
                fix="correct the value",
                origin=manifest.origin(()),
                path=render_path("", [str(part) for part in error["loc"]]),
            )
            for error in exc.errors()
        ]


def _semantic_problems(pack: ComposedPack, resolution: Resolution) -> list[Problem]:
    documents = _documents(resolution)
    problems = []
    for finding in semantic_findings(pack):
        _, document = documents[finding.document]
        prefix = "" if finding.document == "manifest" else finding.document
        problems.append(
            Problem(
                code=finding.code,
                message=finding.message,
                fix=finding.fix,
                origin=document.origin(finding.path),
                path=render_path(prefix, finding.path),
            )
        )
    return problems


def _reading_order(problem: Problem) -> tuple[str, int, int, str, str]:
    origin: Origin = problem.origin
    return (origin.file, origin.line or 0, origin.column or 0, problem.path, problem.message)
