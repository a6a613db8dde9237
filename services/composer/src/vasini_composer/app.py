"""Composition root of the composer (`python -m vasini_composer`)."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from vasini_chassis.errors import ConfigurationError
from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_composer.adapters.packs_folder import CatalogueWatcher, PacksFolder
from vasini_composer.handlers import build_router
from vasini_contracts.events.common import Tier

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class ComposerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_COMPOSER_", extra="ignore")

    service_name: str = "composer"
    packs_dir: Path | None = Field(
        default=None,
        description="Folder of packs the composer serves until the registry exists "
        "(required; `vasini up` passes the repository's packs/).",
    )
    default_tier: Tier = Field(
        default="tier-2", description="Model tier of runs whose pack names no `model.tier`."
    )
    packs_recheck_s: float = Field(
        default=2.0, gt=0, description="At most this often the packs folder is checked for edits."
    )


def packs_folder(settings: ComposerSettings) -> PacksFolder:
    """The configured packs folder, or a ConfigurationError saying what to set."""
    root = settings.packs_dir
    if root is None:
        raise ConfigurationError(
            "VASINI_COMPOSER_PACKS_DIR is not set: point it at a folder of packs "
            "(e.g. the repository's packs/)"
        )
    if not root.is_dir():
        raise ConfigurationError(
            f"VASINI_COMPOSER_PACKS_DIR={root} is not a folder: point it at a folder of packs"
        )
    return PacksFolder(root, recheck_s=settings.packs_recheck_s)


def build_runtime(settings: ComposerSettings | None = None) -> ServiceRuntime:
    settings = settings or ComposerSettings()
    folder = packs_folder(settings)
    runtime = ServiceRuntime(
        settings,
        build_router(folder, default_tier=settings.default_tier),
        migrations=MIGRATIONS,
    )
    runtime.add_worker("packs", CatalogueWatcher(folder, recheck_s=settings.packs_recheck_s))
    return runtime


def main() -> None:
    try:
        run_service(build_runtime)
    except ConfigurationError as error:
        sys.exit(f"composer cannot start: {error}")
