"""The composer's use case: compose a requested run.

A `run.requested` becomes exactly one `run.composed` (the pack's composed config, its
digest, the model tier) or one `run.failed` (`stage: composer`, `PACK_NOT_FOUND` /
`PACK_INVALID`, not retryable), emitted through `emit` (the outbox of the current
transaction) together with one `Composition` row (same transaction). A run gets one
outcome whatever arrives twice: a redelivered event is dropped by the chassis inbox,
and another event for a run already composed (a new event id) changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol
from uuid import UUID

from vasini_composer.domain.catalogue import Resolved
from vasini_composer.domain.errors import PackInvalid, PackNotFound, RunIdTaken
from vasini_composer.domain.records import Composition
from vasini_composer.domain.reference import PackReference, parse_reference
from vasini_contracts import EventData
from vasini_contracts.events.common import ErrorInfo, PackRef, Tier
from vasini_contracts.events.runs import RunComposed, RunFailed, RunRequested

STAGE = "composer"
MAX_MESSAGE = 4_000
Result = Literal["composed", "failed", "already composed"]


class PackSource(Protocol):
    """Where references resolve (the packs folder now, the registry's mirror later)."""

    async def resolve(self, reference: PackReference) -> Resolved:
        """The pack, or PackNotFound / PackInvalid; TransientComposerError if the
        source cannot be read right now."""
        ...


class CompositionStore(Protocol):
    """The composer's state, inside the transaction of the event being handled."""

    async def record(self, composition: Composition) -> bool:
        """Record the run's composition; False when the run already has one."""
        ...

    async def recorded(self, run_id: str) -> bool:
        """Whether this tenant has a composition of `run_id`."""
        ...


class ComposerService:
    def __init__(
        self,
        source: PackSource,
        store: CompositionStore,
        emit: Callable[[EventData], object],
        *,
        default_tier: Tier,
    ) -> None:
        self._source = source
        self._store = store
        self._emit = emit
        self._default_tier = default_tier

    async def compose(self, data: RunRequested, *, event_id: UUID) -> Result:
        """Compose the run, or fail it. Raises RunIdTaken when the run id belongs to
        another tenant, TransientComposerError when the packs cannot be read."""
        try:
            resolved = await self._source.resolve(parse_reference(data.pack))
        except (PackNotFound, PackInvalid) as error:
            return await self._fail(data, event_id, error)
        pack = resolved.pack
        ref = PackRef(pack_id=pack.pack_id, version=pack.version, digest=resolved.digest)
        composition = Composition(
            data.run_id,
            event_id,
            data.pack,
            "composed",
            pack_id=ref.pack_id,
            version=ref.version,
            digest=ref.digest,
        )
        if not await self._first(composition):
            return "already composed"
        model = pack.manifest.model
        self._emit(
            RunComposed(
                run_id=data.run_id,
                pack=ref,
                config=pack.to_config(),
                model_tier=model.tier if model is not None and model.tier else self._default_tier,
                input=data.input,
                session_id=data.session_id,
                deadline_s=data.deadline_s,
                requested=data.pack,
            )
        )
        return "composed"

    async def _fail(
        self, data: RunRequested, event_id: UUID, error: PackNotFound | PackInvalid
    ) -> Result:
        message = _clip(error.message)
        outcome: Literal["PACK_NOT_FOUND", "PACK_INVALID"] = (
            "PACK_INVALID" if isinstance(error, PackInvalid) else "PACK_NOT_FOUND"
        )
        composition = Composition(data.run_id, event_id, data.pack, outcome, message=message)
        if not await self._first(composition):
            return "already composed"
        self._emit(
            RunFailed(
                run_id=data.run_id,
                stage=STAGE,
                error=ErrorInfo(code=error.code, message=message, retryable=False),
            )
        )
        return "failed"

    async def _first(self, composition: Composition) -> bool:
        """Record `composition`; False if the run already has one (this tenant's),
        RunIdTaken if the run id is another tenant's."""
        if await self._store.record(composition):
            return True
        if await self._store.recorded(composition.run_id):
            return False
        raise RunIdTaken(composition.run_id)


def _clip(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."
