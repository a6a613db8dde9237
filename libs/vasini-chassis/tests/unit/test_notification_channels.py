"""Notification channel names: one per service schema and table, within PostgreSQL's limit."""

from __future__ import annotations

import pytest

from vasini_chassis.db.notifications import table_channel


def test_channel_names_longer_than_postgres_allows_are_refused() -> None:
    assert table_channel("svc", "outbox") == "svc_outbox"
    with pytest.raises(ValueError, match="shorter schema name"):
        table_channel("s" * 60, "outbox")
