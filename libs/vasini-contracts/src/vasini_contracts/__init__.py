"""Vasini wire contracts: CloudEvent envelope, v1 event catalog, streams and codec."""

from __future__ import annotations

from vasini_contracts.catalog import EventData, catalog, event, model_for, parse_data
from vasini_contracts.codec import ENTRY_FIELD, decode_entry, encode_entry
from vasini_contracts.envelope import CloudEvent, new_event, new_traceparent
from vasini_contracts.errors import (
    ContractError,
    InvalidEventData,
    MalformedEntry,
    UnknownEventType,
)
from vasini_contracts.streams import DLQ_TYPE, stream_key

__all__ = [
    "DLQ_TYPE",
    "ENTRY_FIELD",
    "CloudEvent",
    "ContractError",
    "EventData",
    "InvalidEventData",
    "MalformedEntry",
    "UnknownEventType",
    "catalog",
    "decode_entry",
    "encode_entry",
    "event",
    "model_for",
    "new_event",
    "new_traceparent",
    "parse_data",
    "stream_key",
]
