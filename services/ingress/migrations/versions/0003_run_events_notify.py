"""Ingress v3: each committed run event is announced (NOTIFY, payload: the run id), so
the run's live streams (SSE) send it at once instead of at their next poll.

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
    create_notify_trigger_v1("run_events", payload_column="run_id")
