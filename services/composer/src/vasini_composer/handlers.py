"""What the composer consumes: `run.requested`. It answers `run.composed` with the
pack's composed config and digest, or `run.failed` (PACK_NOT_FOUND / PACK_INVALID)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, Text, func
from sqlalchemy.dialects.postgresql import insert

from vasini_chassis.db.tables import tenant_table
from vasini_chassis.messaging import HandlerContext, Router
from vasini_composer.domain.catalogue import Catalogue, CompositionError
from vasini_contracts.events.common import ErrorInfo, PackRef
from vasini_contracts.events.runs import RunComposed, RunFailed, RunRequested

metadata = MetaData()
compositions = tenant_table(
    "compositions",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("requested", Text, nullable=False),
    Column("pack_id", Text),
    Column("version", Text),
    Column("digest", Text),
    Column("outcome", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def build_handlers(catalogue: Catalogue, default_tier: str) -> Router:
    router = Router()

    @router.on(RunRequested)
    async def on_requested(ctx: HandlerContext, data: RunRequested) -> None:
        try:
            pack, digest = catalogue.resolve(data.pack)
        except CompositionError as exc:
            ctx.emit(
                RunFailed(
                    run_id=data.run_id,
                    stage="composer",
                    error=ErrorInfo(code=exc.code, message=exc.message),
                )
            )
            await _record(ctx, data, exc.code, None)
            return
        ref = PackRef(pack_id=pack.pack_id, version=pack.version, digest=digest)
        model = pack.manifest.model
        ctx.emit(
            RunComposed(
                run_id=data.run_id,
                pack=ref,
                config=pack.to_config(),
                model_tier=model.tier if model and model.tier else default_tier,
                input=data.input,
                session_id=data.session_id,
                deadline_s=data.deadline_s,
                requested=data.pack,
            )
        )
        await _record(ctx, data, "composed", ref)

    return router


async def _record(
    ctx: HandlerContext, data: RunRequested, outcome: str, ref: PackRef | None
) -> None:
    await ctx.conn.execute(
        insert(compositions)
        .values(
            tenant_id=ctx.tenant_id,
            run_id=data.run_id,
            requested=data.pack,
            pack_id=ref.pack_id if ref else None,
            version=ref.version if ref else None,
            digest=ref.digest if ref else None,
            outcome=outcome,
        )
        .on_conflict_do_nothing()
    )
