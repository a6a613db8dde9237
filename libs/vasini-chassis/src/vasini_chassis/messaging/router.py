"""Which handler runs for which event type (a service's `handlers.py` fills one Router)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from vasini_chassis.messaging.context import HandlerContext
from vasini_contracts import EventData
from vasini_contracts.catalog import event_type_of

D = TypeVar("D", bound=EventData)
Handler = Callable[[HandlerContext, D], Awaitable[None]]


@dataclass(frozen=True)
class Route:
    event_type: str
    model: type[EventData]
    handler: Handler[Any]


class Router:
    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}

    def on(self, model: type[D]) -> Callable[[Handler[D]], Handler[D]]:
        """Register the decorated coroutine as the handler of `model`'s event type."""
        event_type = event_type_of(model)

        def register(handler: Handler[D]) -> Handler[D]:
            if event_type in self._routes:
                raise ValueError(f"{event_type} already has a handler")
            self._routes[event_type] = Route(event_type, model, handler)
            return handler

        return register

    @property
    def routes(self) -> Mapping[str, Route]:
        return self._routes
