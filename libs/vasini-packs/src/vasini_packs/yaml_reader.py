"""Reading pack files: bounded, JSON-shaped YAML with the position of every value.

Pack folders come from users and, through the registry, from other tenants, so the
reader refuses what could hurt the process instead of trusting PyYAML's defaults:
files over `MAX_FILE_BYTES`, nesting deeper than `MAX_DEPTH` (PyYAML's composer
recurses), aliases expanding to more than `MAX_NODES` values (billion laughs), tags
beyond plain JSON types, merge keys, duplicate and non-text keys. It builds the data
from the parser's event stream itself, which gives all of that in one pass and
records a line/column for every value and key.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from vasini_packs.errors import Origin, PackInvalid, Problem
from vasini_packs.located import JsonPath, Located

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("null", "bool", "int", "float", "str", "timestamp")}
_MAPPING_TAGS = {None, "!", f"{_TAG}map"}
_SEQUENCE_TAGS = {None, "!", f"{_TAG}seq"}


def read_text(path: Path, display: str) -> str:
    """The file's text, refusing missing, oversized and non-UTF-8 files."""
    origin = Origin(display)
    try:
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "does not exist"
            raise _refuse("file-missing", f"{what}", "create the file or correct the path", origin)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(
                "file-too-large",
                f"is {size} bytes; pack files are limited to {MAX_FILE_BYTES} bytes",
                "split the content or move large data out of the pack",
                origin,
            )
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _refuse(
            "file-unreadable", f"cannot be read ({exc.strerror})", "check its permissions", origin
        ) from exc
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _refuse(
            "not-utf8",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            "save the file as UTF-8",
            Origin(display, line, column),
        ) from exc


def read_yaml(path: Path, display: str) -> Located:
    """One YAML file as `Located` data (see the module docstring for what is refused)."""
    return parse_yaml(read_text(path, display), display)


def parse_yaml(text: str, display: str, first_line: int = 1) -> Located:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    loader: Any = _Loader(text)
    builder = _Builder(loader, display, first_line - 1)
    try:
        return builder.build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _refuse(
            "yaml-syntax",
            f"YAML syntax error: {exc.problem or exc.context}",
            "check the indentation, quoting and colons on this line and the one above",
            builder.origin_of(mark) if mark else Origin(display),
        ) from exc
    except yaml.YAMLError as exc:
        raise _refuse(
            "yaml-syntax", f"YAML error: {exc}", "check the file's YAML syntax", Origin(display)
        ) from exc
    finally:
        loader.dispose()


def _refuse(code: str, message: str, fix: str, origin: Origin) -> PackInvalid:
    return PackInvalid((Problem(code=code, message=message, fix=fix, origin=origin),))


@dataclass(slots=True)
class _Frame:
    """An open mapping or sequence while events stream in."""

    container: dict[str, Any] | list[Any]
    path: JsonPath
    anchor: str | None
    size: int = 1
    key: str | None = None


@dataclass(slots=True)
class _Builder:
    loader: Any  # PyYAML's loader API (check_event, resolve, ...) is untyped
    file: str
    line_offset: int
    stack: list[_Frame] = field(default_factory=list)
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)
    values: dict[JsonPath, Origin] = field(default_factory=dict)
    keys: dict[JsonPath, Origin] = field(default_factory=dict)
    root: Any = None
    documents: int = 0

    def origin_of(self, mark: Any) -> Origin:
        return Origin(self.file, mark.line + 1 + self.line_offset, mark.column + 1)

    def build(self) -> Located:
        loader = self.loader
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self._problem(
                        "yaml-multiple-documents",
                        "holds more than one YAML document",
                        "keep one document per file (remove the second `---`)",
                        event,
                    )
            elif isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self._open(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                frame = self.stack.pop()
                self._place(frame.container, frame.size, frame.anchor, None)
        return Located(data=self.root, file=self.file, values=self.values, keys=self.keys)

    def _problem(self, code: str, message: str, fix: str, event: Any) -> PackInvalid:
        return _refuse(code, message, fix, self.origin_of(event.start_mark))

    def _open(self, event: Any) -> None:
        is_mapping = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in (_MAPPING_TAGS if is_mapping else _SEQUENCE_TAGS):
            raise self._unsupported_tag(event)
        if len(self.stack) >= MAX_DEPTH:
            raise self._problem(
                "yaml-too-deep",
                f"nests deeper than {MAX_DEPTH} levels",
                "flatten the structure; no pack field needs this depth",
                event,
            )
        if self._expects_key():
            raise self._problem(
                "yaml-complex-key",
                "uses a mapping or list as a key",
                "keys must be plain text",
                event,
            )
        path = self._child_path()
        self.values[path] = self.origin_of(event.start_mark)
        container: dict[str, Any] | list[Any] = {} if is_mapping else []
        self.stack.append(_Frame(container, path, event.anchor))

    def _scalar(self, event: Any) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == f"{_TAG}merge" and self._expects_key():
            raise self._problem(
                "yaml-merge-key",
                "uses a YAML merge key (`<<`)",
                "use `extends:` with `override:` to build on another layer",
                event,
            )
        if tag not in _SCALAR_TAGS:
            raise self._unsupported_tag(event)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        value = self.loader.yaml_constructors[tag](self.loader, node)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, float) and not math.isfinite(value):
            raise self._problem(
                "yaml-non-finite",
                f"`{event.value}` is not a finite number",
                "write a number",
                event,
            )
        if self._expects_key():
            self._key(value, event)
        else:
            self.values[self._child_path()] = self.origin_of(event.start_mark)
            self._place(value, 1, event.anchor, event)

    def _alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise self._problem(
                "yaml-unknown-alias",
                f"refers to anchor `*{event.anchor}` that is not defined before it",
                f"define `&{event.anchor}` earlier in the file or remove the alias",
                event,
            )
        if self._expects_key():
            raise self._problem(
                "yaml-complex-key", "uses an alias as a key", "write the key as plain text", event
            )
        value, size = self.anchors[event.anchor]
        self.values[self._child_path()] = self.origin_of(event.start_mark)
        self._place(value, size, None, event)

    def _key(self, key: Any, event: Any) -> None:
        frame = self.stack[-1]
        assert isinstance(frame.container, dict)
        if not isinstance(key, str):
            raise self._problem(
                "yaml-key-not-text",
                f"key `{event.value}` is read as {type(key).__name__}, not text",
                f'quote it: "{event.value}":',
                event,
            )
        if key in frame.container:
            raise self._problem(
                "yaml-duplicate-key",
                f"key `{key}` appears twice in the same mapping",
                "keep one of them",
                event,
            )
        frame.key = key
        self.keys[(*frame.path, key)] = self.origin_of(event.start_mark)

    def _place(self, value: Any, size: int, anchor: str | None, event: Any) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            assert frame.key is not None
            frame.container[frame.key] = value
            frame.key = None
        else:
            frame.container.append(value)
        frame.size += size
        if frame.size > MAX_NODES:
            raise _refuse(
                "yaml-too-large",
                f"expands to more than {MAX_NODES} values (aliases included)",
                "remove the repeated aliases; a pack layer never needs this many values",
                self.origin_of(event.start_mark) if event is not None else Origin(self.file),
            )

    def _expects_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].container, dict)
            and (self.stack[-1].key is None)
        )

    def _child_path(self) -> JsonPath:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            assert frame.key is not None
            return (*frame.path, frame.key)
        return (*frame.path, len(frame.container))

    def _unsupported_tag(self, event: Any) -> PackInvalid:
        return self._problem(
            "yaml-unsupported-tag",
            f"uses the YAML tag `{event.tag}`; packs hold plain text, numbers, booleans, "
            "lists and mappings",
            "remove the tag",
            event,
        )
