"""Sandbox-runner v4: outbox rows carry their publisher's lease, so this service
publishes its events right after each commit instead of waking its relay
(vasini_chassis.messaging.publisher).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from vasini_chassis.migrations import add_outbox_lease_v2

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_lease_v2()
