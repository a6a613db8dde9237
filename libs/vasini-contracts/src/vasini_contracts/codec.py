"""Wire codec: a CloudEvent ⇄ one Redis stream entry.

The entry has exactly one field, `cloudevent`, whose value is the event in CloudEvents
structured JSON mode (UTF-8). See schemas/WIRE.md for the contract as other languages
see it, e.g. `XADD ai.vasini.run.requested.v1 * cloudevent '{"specversion":"1.0",...}'`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from pydantic import ValidationError

from vasini_contracts.envelope import CloudEvent
from vasini_contracts.errors import MalformedEntry

ENTRY_FIELD = "cloudevent"
_ENTRY_FIELD_BYTES = ENTRY_FIELD.encode()
MAX_ENTRY_BYTES = 1_048_576
"""Entries above 1 MiB are refused on both sides: large payloads travel by reference."""


def encode_entry(event: CloudEvent) -> dict[bytes, bytes]:
    payload = event.model_dump_json(exclude_none=True).encode()
    if len(payload) > MAX_ENTRY_BYTES:
        raise MalformedEntry(
            "TOO_LARGE", f"event {event.id} is {len(payload)} bytes; the limit is {MAX_ENTRY_BYTES}"
        )
    return {_ENTRY_FIELD_BYTES: payload}


def decode_entry(fields: Mapping[bytes, bytes]) -> CloudEvent:
    """Read a stream entry. Raises MalformedEntry with a stable code and a clear reason."""
    raw = fields.get(_ENTRY_FIELD_BYTES)
    if raw is None:
        names = ", ".join(sorted(k.decode(errors="replace") for k in fields)) or "none"
        raise MalformedEntry(
            "MISSING_FIELD", f"stream entry has no '{ENTRY_FIELD}' field (fields: {names})"
        )
    return decode_payload(raw)


def decode_payload(raw: bytes) -> CloudEvent:
    if len(raw) > MAX_ENTRY_BYTES:
        raise MalformedEntry("TOO_LARGE", f"entry is {len(raw)} bytes; limit {MAX_ENTRY_BYTES}")
    try:
        return CloudEvent.model_validate_json(raw)
    except ValidationError as exc:
        if _is_json_error(exc):
            raise MalformedEntry("NOT_JSON", f"'{ENTRY_FIELD}' is not valid JSON") from None
        raise MalformedEntry(
            "NOT_A_CLOUDEVENT", f"not a Vasini CloudEvent: {_summarise(exc)}"
        ) from None


def _is_json_error(exc: ValidationError) -> bool:
    return any(err["type"] == "json_invalid" for err in exc.errors())


def _summarise(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False)[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def payload_text(fields: Mapping[bytes, bytes]) -> str:
    """A lossless-enough text form of an arbitrary entry, kept with dead letters."""
    return json.dumps(
        {k.decode(errors="replace"): v.decode(errors="replace") for k, v in fields.items()},
        ensure_ascii=False,
    )
