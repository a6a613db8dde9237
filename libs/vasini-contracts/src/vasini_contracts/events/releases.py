"""Release channels: which published version of a pack a channel (e.g. `prod`) serves.

The registry moves a version draft → validated → staged → prod, gated by evals and
approvals; every move of a channel, forward or back, is one release.changed event.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vasini_contracts.catalog import EventData, event
from vasini_contracts.events.common import PackId, PackVersion, example

ReleaseStage = Literal["draft", "validated", "staged", "prod"]
"""Stages of the release flow, in order."""


@event("ai.vasini.release.changed.v1")
class ReleaseChanged(EventData):
    """A channel now points at another version (promotion, rollback or a manual move);
    runs that resolve `<pack>:<channel>` from now on use `version`."""

    model_config = example(
        release_id="rel-31",
        pack_id="senior-python-dev",
        channel="prod",
        version="1.4.0",
        previous_version="1.3.2",
        stage="prod",
        reason="promotion",
        eval_id="eval-77",
        changed_by="key_3f9a",
    )

    release_id: str = Field(min_length=1, max_length=128, description="Id of the release.")
    pack_id: PackId
    channel: str = Field(
        pattern=r"^[a-z][a-z0-9-]{0,62}$", description="Channel name, e.g. prod, staging, beta."
    )
    version: PackVersion
    previous_version: PackVersion | None = Field(
        default=None, description="What the channel served before; none for a new channel."
    )
    stage: ReleaseStage = Field(description="Stage of the release flow the version reached.")
    reason: Literal["promotion", "rollback", "manual"] = Field(
        description="Why the channel moved; rollback is also triggered by SLO breaches."
    )
    eval_id: str | None = Field(
        default=None, max_length=128, description="The eval whose gate allowed the promotion."
    )
    changed_by: str | None = Field(
        default=None, max_length=200, description="API key id; none when automatic."
    )
