"""Composition root of the composer (`python -m vasini_composer`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from vasini_chassis.errors import ConfigurationError
from vasini_chassis.logging import get_logger
from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_composer.domain.catalogue import Catalogue
from vasini_composer.handlers import build_handlers

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
log = get_logger(__name__)


class ComposerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_COMPOSER_", extra="ignore")

    service_name: str = "composer"
    packs_dir: Path | None = Field(
        default=None, description="Folder of packs to serve (until the registry lands)."
    )
    default_tier: str = Field(default="tier-2", pattern=r"^tier-[123]$")
    rescan_s: float = Field(default=2.0, gt=0, description="How often to look for pack edits.")


def build_runtime(settings: ComposerSettings | None = None) -> ServiceRuntime:
    settings = settings or ComposerSettings()
    if settings.packs_dir is None or not settings.packs_dir.is_dir():
        raise ConfigurationError(
            f"VASINI_COMPOSER_PACKS_DIR must name a folder of packs (got {settings.packs_dir})"
        )
    catalogue = Catalogue(settings.packs_dir, settings.rescan_s)
    for entry in catalogue.scan():
        if entry.pack is None:
            log.warning(
                "pack is invalid and will fail its runs",
                folder=entry.folder,
                problems=[p.render() for p in entry.problems[:5]],
            )
        else:
            log.info("pack ready", pack=entry.pack.pack_id, version=entry.pack.version)
    return ServiceRuntime(
        settings, build_handlers(catalogue, settings.default_tier), migrations=MIGRATIONS
    )


def main() -> None:
    run_service(build_runtime)
