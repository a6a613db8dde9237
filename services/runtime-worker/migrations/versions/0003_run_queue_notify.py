"""Runtime-worker v3: a run that becomes claimable is announced (NOTIFY on commit), so
idle executors claim it at once instead of at their next poll.

Claimable: not leased and ready now — a new run, a run a tool answer or a cancel
poked, a run released ready because it was poked while held. Claims and lease
renewals do not touch `ready_at`, so they announce nothing.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from vasini_chassis.migrations import create_notify_trigger_v1

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_notify_trigger_v1(
        "run_queue",
        update_of=("ready_at",),
        when="NEW.lease_owner IS NULL AND NEW.ready_at <= now()",
    )
