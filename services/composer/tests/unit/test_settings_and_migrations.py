"""Start-up: the packs folder is a required setting with a clear error; migrations
only ever add."""

from __future__ import annotations

from pathlib import Path

import pytest

from vasini_chassis.errors import ConfigurationError
from vasini_chassis.migrations.expand_only import check_expand_only
from vasini_composer.app import MIGRATIONS, ComposerSettings, packs_folder

URLS = {"database_url": "postgresql://app@127.0.0.1/none", "redis_url": "redis://127.0.0.1:1"}


def test_settings_come_from_the_composer_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VASINI_COMPOSER_PACKS_DIR", str(tmp_path))
    monkeypatch.setenv("VASINI_COMPOSER_DEFAULT_TIER", "tier-3")
    monkeypatch.setenv("VASINI_COMPOSER_PACKS_RECHECK_S", "0.5")

    settings = ComposerSettings(**URLS)  # type: ignore[arg-type]

    assert (settings.packs_dir, settings.default_tier, settings.packs_recheck_s) == (
        tmp_path,
        "tier-3",
        0.5,
    )
    assert (settings.service_name, settings.schema_name) == ("composer", "composer")
    assert packs_folder(settings).root == tmp_path


def test_a_missing_packs_dir_setting_stops_the_start_with_what_to_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VASINI_COMPOSER_PACKS_DIR", raising=False)

    with pytest.raises(ConfigurationError, match="VASINI_COMPOSER_PACKS_DIR is not set"):
        packs_folder(ComposerSettings(**URLS))  # type: ignore[arg-type]


def test_a_packs_dir_that_is_not_a_folder_stops_the_start(tmp_path: Path) -> None:
    settings = ComposerSettings(**URLS, packs_dir=tmp_path / "nope")  # type: ignore[arg-type]

    with pytest.raises(ConfigurationError, match="is not a folder"):
        packs_folder(settings)


def test_migrations_are_expand_only() -> None:
    versions = MIGRATIONS / "versions"

    assert sorted(p.name for p in versions.glob("*.py")) == [
        "0001_initial.py",
        "0002_composition_details.py",
        "0003_outbox_lease.py",
    ]
    assert check_expand_only(versions) == []
