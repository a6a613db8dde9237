"""The event catalog: every v1 event type and the pydantic model of its data.

Models register themselves with `@event("ai.vasini.<area>.<event>.v1")`. Data models
ignore unknown fields so that additive changes within a version never break an older
consumer (ARCHITECTURE.md §2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from vasini_contracts.errors import InvalidEventData, UnknownEventType

if TYPE_CHECKING:
    from vasini_contracts.envelope import CloudEvent


class EventData(BaseModel):
    """Base of every event payload model."""

    model_config = ConfigDict(extra="ignore", frozen=True)


_T = TypeVar("_T", bound=type[EventData])
_REGISTRY: dict[str, type[EventData]] = {}
_TYPES: dict[type[EventData], str] = {}


def event(event_type: str) -> Callable[[_T], _T]:
    """Register a data model under its CloudEvent type."""

    def register(model: _T) -> _T:
        if event_type in _REGISTRY:
            raise ValueError(f"event type {event_type} registered twice")
        _REGISTRY[event_type] = model
        _TYPES[model] = event_type
        return model

    return register


def catalog() -> Mapping[str, type[EventData]]:
    """All registered event types (importing the event modules registers them)."""
    import vasini_contracts.events  # noqa: F401, PLC0415 - registration side effect

    return _REGISTRY


def event_type_of(model: type[EventData]) -> str:
    catalog()
    try:
        return _TYPES[model]
    except KeyError:
        raise UnknownEventType(f"{model.__name__} is not a registered event model") from None


def model_for(event_type: str) -> type[EventData]:
    try:
        return catalog()[event_type]
    except KeyError:
        raise UnknownEventType(f"unknown event type '{event_type}'") from None


def parse_data(event: CloudEvent, model: type[EventData] | None = None) -> EventData:
    """Validate an envelope's data against the model of its type; a caller that already
    looked the model up (a consumer's route) passes it and skips the catalog lookup."""
    if model is None:
        model = model_for(event.type)
    try:
        return model.model_validate(event.data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors(include_url=False)[:5]
        )
        raise InvalidEventData(f"data of {event.type} is invalid: {details}") from None


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of every event's data, keyed by event type (for schemas/events/)."""
    return {t: m.model_json_schema(mode="validation") for t, m in sorted(catalog().items())}
