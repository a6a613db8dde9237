"""schemas/WIRE.md is the contract for non-Python producers: what it shows must work."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from vasini_contracts import catalog, decode_entry, encode_entry, parse_data
from vasini_contracts.codec import ENTRY_FIELD, MAX_ENTRY_BYTES
from vasini_contracts.errors import InvalidEventData, UnknownEventType
from vasini_contracts.events.runs import RunRequested
from vasini_contracts.streams import EPHEMERAL_MAXLEN, OUTPUT_DELTA_TYPE, stream_key

REPO = Path(__file__).resolve().parents[4]
WIRE = (REPO / "schemas" / "WIRE.md").read_text(encoding="utf-8")
CODEC_SOURCE = (
    REPO / "libs" / "vasini-contracts" / "src" / "vasini_contracts" / "codec.py"
).read_text(encoding="utf-8")


def _xadd_command() -> list[str]:
    lines = re.findall(r"^redis-cli (XADD .*)$", WIRE, flags=re.MULTILINE)
    assert len(lines) == 1, "WIRE.md shows exactly one redis-cli XADD example"
    return shlex.split(lines[0])  # what the shell passes to redis-cli


def test_the_xadd_example_decodes_into_a_valid_run_request() -> None:
    argv = _xadd_command()
    assert len(argv) == 5, "XADD <stream> * <field> <value>: one field, one value"
    command, stream, entry_id, field, value = argv
    assert (command, entry_id, field) == ("XADD", "*", ENTRY_FIELD)
    event = decode_entry({field.encode(): value.encode()})
    assert stream == stream_key(event.type) == event.type == "ai.vasini.run.requested.v1"
    data = parse_data(event)
    assert isinstance(data, RunRequested)
    assert data.run_id == event.correlationid
    assert event.subject == f"run/{data.run_id}"
    assert event.trace_id is not None
    assert json.loads(value)["tenantid"] == event.tenantid
    # what the Python producer would write carries the same event
    assert decode_entry(encode_entry(event)) == event


def test_the_catalog_table_lists_exactly_the_catalog() -> None:
    section = WIRE.split("## 4. Event catalog", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(ai\.vasini\.[a-z0-9_.]+)`", section, flags=re.MULTILINE))
    assert listed == set(catalog())


def test_every_reason_code_of_the_contracts_is_documented() -> None:
    codes = set(re.findall(r'MalformedEntry\(\s*"([A-Z_]+)"', CODEC_SOURCE))
    assert codes == {"MISSING_FIELD", "NOT_JSON", "NOT_A_CLOUDEVENT", "TOO_LARGE"}
    codes |= {UnknownEventType.code, InvalidEventData.code, "NO_HANDLER", "MAX_DELIVERIES"}
    section = WIRE.split("## 5.", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)`", section, flags=re.MULTILINE))
    assert documented == codes


def test_the_documented_limits_and_names_match_the_code() -> None:
    assert f"field `{ENTRY_FIELD}`" in WIRE
    assert MAX_ENTRY_BYTES == 1_048_576
    assert "1 MiB (1 048 576 bytes)" in WIRE
    assert f"MAXLEN ~ {EPHEMERAL_MAXLEN}" in WIRE
    assert f"`{OUTPUT_DELTA_TYPE}`" in WIRE
