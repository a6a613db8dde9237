"""Resolving a pack folder: the manifest's layer references, extends chains, overrides,
inline layers and skills, into one `Located` document per layer.

Nothing here decides whether a layer is *valid*; it only assembles what the author
wrote, collecting every problem it meets on the way (a missing file does not hide a
cycle in another layer). The rules are those of PACK-FORMAT.md and ADR 0003.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from vasini_packs.confinement import display_path, resolve_reference
from vasini_packs.errors import Origin, PackInvalid, Problem
from vasini_packs.located import Located, merge_located
from vasini_packs.yaml_reader import parse_yaml, read_text, read_yaml

MANIFEST_FILE = "profession-pack.yaml"
SHARED_DIR = "_shared"
LAYER_NAMES = ("soul", "role", "tools", "guardrails", "memory", "workflow")
_FRONTMATTER_FENCE = "---"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ResolvedSkill:
    """A skill: its frontmatter (merged with any override) and procedure text."""

    frontmatter: Located
    body: str
    index: int


@dataclass(frozen=True, slots=True)
class Resolution:
    """Everything a pack's references resolve to, plus what went wrong on the way."""

    root: Path
    manifest: Located | None
    layers: dict[str, Located] = field(default_factory=dict)
    skills: tuple[ResolvedSkill, ...] = ()
    problems: tuple[Problem, ...] = ()


def default_shared_roots(pack_root: Path) -> tuple[Path, ...]:
    """The `_shared` folder next to the pack, when there is one."""
    shared = pack_root.parent / SHARED_DIR
    return (shared.resolve(),) if shared.is_dir() else ()


def resolve_pack(path: Path, shared_roots: Sequence[Path] = ()) -> Resolution:
    """Assemble the pack at `path`; extra `shared_roots` join the default one."""
    root = path.resolve()
    if not root.is_dir():
        problem = Problem(
            code="pack-not-found",
            message="is not a folder" if root.exists() else "does not exist",
            fix="give the path of a pack folder (the one holding profession-pack.yaml)",
            origin=Origin(display_path(root)),
        )
        return Resolution(root=root, manifest=None, problems=(problem,))
    roots = (*default_shared_roots(root), *(Path(r).resolve() for r in shared_roots))
    return _Resolver(root, roots).resolve()


class _Resolver:
    def __init__(self, root: Path, shared_roots: tuple[Path, ...]) -> None:
        self.root = root
        self.extendable = (root, *shared_roots)
        self.problems: list[Problem] = []

    def resolve(self) -> Resolution:
        manifest_path = self.root / MANIFEST_FILE
        if not manifest_path.is_file():
            self.problems.append(
                Problem(
                    code="manifest-missing",
                    message=f"no {MANIFEST_FILE} in this folder",
                    fix=f"add {MANIFEST_FILE} naming the pack and its layers "
                    "(packs/senior-python-dev is a complete example)",
                    origin=Origin(display_path(self.root)),
                )
            )
            return self._result(None)
        manifest = self._attempt(partial(_read_mapping, manifest_path))
        if manifest is None:
            return self._result(None)
        layers: dict[str, Located] = {}
        for name in LAYER_NAMES:
            if isinstance(manifest.data.get(name), dict):
                layer = self._attempt(partial(self._layer, manifest, name))
                if layer is not None:
                    layers[name] = layer
        skills: list[ResolvedSkill] = []
        references = manifest.data.get("skills")
        if isinstance(references, list):
            for index, reference in enumerate(references):
                if isinstance(reference, dict):
                    ref = manifest.child("skills").child(index)
                    skill = self._attempt(partial(self._skill, ref, index))
                    if skill is not None:
                        skills.append(skill)
        return self._result(manifest, layers, tuple(skills))

    def _result(
        self,
        manifest: Located | None,
        layers: dict[str, Located] | None = None,
        skills: tuple[ResolvedSkill, ...] = (),
    ) -> Resolution:
        return Resolution(
            root=self.root,
            manifest=manifest,
            layers=layers or {},
            skills=skills,
            problems=tuple(self.problems),
        )

    def _attempt(self, step: Callable[[], T]) -> T | None:
        try:
            return step()
        except PackInvalid as exc:
            self.problems.extend(exc.problems)
            return None

    def _layer(self, manifest: Located, name: str) -> Located | None:
        ref = manifest.child(name)
        if "file" in ref.data:
            path = self._reference(ref, "file", self.root, (self.root,), "the pack folder")
            return None if path is None else self._layer_file(path, ())
        if "extends" in ref.data:
            path = self._reference(ref, "extends", self.root, self.extendable, self._extendable)
            if path is None:
                return None
            base = self._layer_file(path, ())
            override = ref.child("override") if "override" in ref.data else None
            if override is None or not isinstance(override.data, dict):
                return base  # a non-mapping override is reported by the manifest schema
            return merge_located(base, override)
        if "schema_version" in ref.data or "schema_version" not in manifest.data:
            return ref
        inherited = {"schema_version": manifest.data["schema_version"], **ref.data}
        return Located(inherited, ref.file, ref.values, ref.keys)

    def _layer_file(self, path: Path, chain: tuple[Path, ...]) -> Located:
        if path in chain:
            cycle = [*chain[chain.index(path) :], path]
            raise PackInvalid(
                (
                    Problem(
                        code="extends-cycle",
                        message="extends cycle: " + " -> ".join(display_path(p) for p in cycle),
                        fix="remove one `extends` so the chain ends at a base without one",
                        origin=Origin(display_path(chain[-1])),
                    ),
                )
            )
        document = _require_mapping(read_yaml(path, display_path(path)))
        if "schema_version" not in document.data:
            self.problems.append(
                Problem(
                    code="schema-version-missing",
                    message="layer file has no schema_version",
                    fix='add `schema_version: "1.0"` as its first line',
                    origin=document.origin(()),
                )
            )
        if "extends" not in document.data:
            return document
        base_path = self._reference(
            document, "extends", path.parent, self.extendable, self._extendable
        )
        if base_path is None:
            return document.without("extends")
        base = self._layer_file(base_path, (*chain, path))
        return merge_located(base, document.without("extends"))

    def _skill(self, ref: Located, index: int) -> ResolvedSkill | None:
        if "file" in ref.data:
            path = self._reference(ref, "file", self.root, (self.root,), "the pack folder")
            return None if path is None else _read_skill(path, index)
        path = self._reference(ref, "extends", self.root, self.extendable, self._extendable)
        if path is None:
            return None
        base = _read_skill(path, index)
        override = ref.child("override") if "override" in ref.data else None
        if override is None or not isinstance(override.data, dict):
            return base
        body = override.data.get("body", base.body)
        if not isinstance(body, str):
            raise PackInvalid(
                (
                    Problem(
                        code="skill-body-not-text",
                        message="`body` in a skill override must be text",
                        fix="write the procedure as a string (use `|` for several lines)",
                        origin=override.origin(("body",)),
                    ),
                )
            )
        frontmatter = merge_located(base.frontmatter, override.without("body"))
        return ResolvedSkill(frontmatter=frontmatter, body=_normalise_body(body), index=index)

    @property
    def _extendable(self) -> str:
        return "the pack folder or a shared root" if len(self.extendable) > 1 else "the pack folder"

    def _reference(
        self, holder: Located, key: str, relative_to: Path, roots: Sequence[Path], what: str
    ) -> Path | None:
        value = holder.data.get(key)
        if not isinstance(value, str):
            # The schema of the holder reports the wrong type with its position.
            return None
        return resolve_reference(value, relative_to, roots, holder.origin((key,)), what)


def _read_skill(path: Path, index: int) -> ResolvedSkill:
    """A skill file: YAML frontmatter between `---` lines, then the procedure."""
    shown = display_path(path)
    lines = read_text(path, shown).splitlines()
    closing = next(
        (n for n, line in enumerate(lines) if n > 0 and line.rstrip() == _FRONTMATTER_FENCE),
        None,
    )
    if not lines or lines[0].rstrip() != _FRONTMATTER_FENCE or closing is None:
        raise PackInvalid(
            (
                Problem(
                    code="skill-frontmatter-missing",
                    message="the skill has no YAML frontmatter",
                    fix="start the file with a `---` line, then id, name and trigger, "
                    "then a closing `---` line before the procedure",
                    origin=Origin(shown, 1, 1),
                ),
            )
        )
    frontmatter = parse_yaml("\n".join(lines[1:closing]), shown, first_line=2)
    return ResolvedSkill(
        frontmatter=_require_mapping(frontmatter),
        body=_normalise_body("\n".join(lines[closing + 1 :])),
        index=index,
    )


def _read_mapping(path: Path) -> Located:
    return _require_mapping(read_yaml(path, display_path(path)))


def _require_mapping(document: Located) -> Located:
    if isinstance(document.data, dict):
        return document
    found = "empty" if document.data is None else f"a {type(document.data).__name__}"
    raise PackInvalid(
        (
            Problem(
                code="not-a-mapping",
                message=f"the file is {found}; it must be a mapping of fields",
                fix='write `field: value` lines, starting with `schema_version: "1.0"`',
                origin=document.origin(()),
            ),
        )
    )


def _normalise_body(body: str) -> str:
    """Line endings and trailing whitespace carry no meaning in a procedure."""
    return "\n".join(line.rstrip() for line in body.splitlines()).strip()
