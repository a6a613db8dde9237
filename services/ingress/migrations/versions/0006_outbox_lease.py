"""Ingress v6: outbox rows carry their publisher's lease, so this service
publishes its events right after each commit instead of waking its relay
(vasini_chassis.messaging.publisher).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from vasini_chassis.migrations import add_outbox_lease_v2

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_lease_v2()
