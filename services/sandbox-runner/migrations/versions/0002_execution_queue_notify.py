"""Sandbox-runner v2: a queued call is announced (NOTIFY on commit), so an idle
executor claims it at once instead of at its next poll.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from vasini_chassis.migrations import create_notify_trigger_v1

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_notify_trigger_v1("execution_queue")
