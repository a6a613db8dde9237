"""Alembic wiring shared by every service: one environment per service, its own schema,
its version table inside that schema, and expand-only migrations."""

from __future__ import annotations

from vasini_chassis.migrations.env import run_alembic_env, target_schema
from vasini_chassis.migrations.expand_only import Violation, check_expand_only
from vasini_chassis.migrations.messaging import (
    add_outbox_lease_v2,
    create_messaging_tables_v1,
    enable_rls,
)
from vasini_chassis.migrations.notify import create_notify_trigger_v1
from vasini_chassis.migrations.runner import migrate

__all__ = [
    "Violation",
    "add_outbox_lease_v2",
    "check_expand_only",
    "create_messaging_tables_v1",
    "create_notify_trigger_v1",
    "enable_rls",
    "migrate",
    "run_alembic_env",
    "target_schema",
]
