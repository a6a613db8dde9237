"""Which handler runs for which event type (a service's `handlers.py` fills one Router).

`on` registers a handler called once per event. `on_batch` registers one called once
per run of consecutive events of the same type and tenant in a consumer batch, with
the same transaction: for handlers whose work is a write per event (projections,
state rows), one multi-row statement instead of one round trip per event
(`vasini_chassis.db.arrays.insert_from_arrays`: an executemany of the rows is one round
trip too, but one INSERT per row on the server).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from vasini_chassis.messaging.context import HandlerContext
from vasini_contracts import EventData
from vasini_contracts.catalog import event_type_of

D = TypeVar("D", bound=EventData)
Handler = Callable[[HandlerContext, D], Awaitable[None]]
BatchHandler = Callable[[Sequence[tuple[HandlerContext, D]]], Awaitable[None]]


@dataclass(frozen=True)
class Route:
    event_type: str
    model: type[EventData]
    handler: Handler[Any] | None = None
    batch_handler: BatchHandler[Any] | None = None


class Router:
    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}

    def on(self, model: type[D]) -> Callable[[Handler[D]], Handler[D]]:
        """Register the decorated coroutine as the handler of `model`'s event type."""

        def register(handler: Handler[D]) -> Handler[D]:
            self._add(Route(event_type_of(model), model, handler=handler))
            return handler

        return register

    def on_batch(self, model: type[D]) -> Callable[[BatchHandler[D]], BatchHandler[D]]:
        """Register the decorated coroutine as the batch handler of `model`'s type."""

        def register(handler: BatchHandler[D]) -> BatchHandler[D]:
            self._add(Route(event_type_of(model), model, batch_handler=handler))
            return handler

        return register

    def _add(self, route: Route) -> None:
        if route.event_type in self._routes:
            raise ValueError(f"{route.event_type} already has a handler")
        self._routes[route.event_type] = route

    @property
    def routes(self) -> Mapping[str, Route]:
        return self._routes
