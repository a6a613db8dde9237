"""JSON-shaped data that remembers where each value was written.

Layers are assembled from several files (a base, its bases, an override in the
manifest). `Located` keeps, for every JSON path, the origin of the value and of the key
that names it, so an error found after merging still points at the line to edit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from vasini_packs.errors import Origin
from vasini_packs.merge import deep_merge

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Located:
    """`data` plus the origin of each value (`values`) and key (`keys`) by JSON path."""

    data: Any
    file: str
    values: Mapping[JsonPath, Origin] = field(default_factory=dict)
    keys: Mapping[JsonPath, Origin] = field(default_factory=dict)

    def origin(self, path: JsonPath) -> Origin:
        """Origin of the value at `path`, or of its nearest recorded ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Origin(self.file)

    def key_origin(self, path: JsonPath) -> Origin:
        """Origin of the key naming `path` (where a misspelt key was typed)."""
        return self.keys.get(path) or self.origin(path)

    def child(self, key: str | int) -> Located:
        """The value under `key`, origins re-rooted to it."""
        return Located(
            data=self.data[key],
            file=self.file,
            values={p[1:]: o for p, o in self.values.items() if p[:1] == (key,)},
            keys={p[1:]: o for p, o in self.keys.items() if p[:1] == (key,) and len(p) > 1},
        )

    def without(self, key: str) -> Located:
        """This mapping without `key` (how a file's own `extends:` is dropped)."""
        data = {k: v for k, v in self.data.items() if k != key}
        return Located(
            data=data,
            file=self.file,
            values={p: o for p, o in self.values.items() if p[:1] != (key,)},
            keys={p: o for p, o in self.keys.items() if p[:1] != (key,)},
        )


def merge_located(base: Located, override: Located) -> Located:
    """Deep-merge `override` over `base` (see `deep_merge`), keeping each value's origin."""
    merged = deep_merge(base.data, override.data)
    values: dict[JsonPath, Origin] = {}
    keys: dict[JsonPath, Origin] = {}
    for path, source in _sources(base.data, override.data, ()):
        picked = override if source == "override" else base
        if path in picked.values:
            values[path] = picked.values[path]
        if path in picked.keys:
            keys[path] = picked.keys[path]
    return Located(data=merged, file=override.file, values=values, keys=keys)


def _sources(base: Any, override: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    """Which side each path of the merged value comes from: a value the override sets
    owns its whole subtree; mappings present on both sides are decided key by key."""
    if isinstance(base, dict) and isinstance(override, dict):
        yield path, "override"
        for key in base.keys() | override.keys():
            if key in override and key in base:
                yield from _sources(base[key], override[key], (*path, key))
            elif key in override:
                yield from _subtree(override[key], (*path, key), "override")
            else:
                yield from _subtree(base[key], (*path, key), "base")
    else:
        yield from _subtree(override, path, "override")


def _subtree(value: Any, path: JsonPath, source: str) -> Iterator[tuple[JsonPath, str]]:
    yield path, source
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _subtree(item, (*path, key), source)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _subtree(item, (*path, index), source)
