"""Composition root of the example service (`python -m vasini_chassis.testing.example`)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_chassis.testing.example.handlers import router

MIGRATIONS = Path(__file__).parent / "migrations"


class ExampleSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_EXAMPLE_", extra="ignore")

    service_name: str = "example"


def build_runtime(settings: ExampleSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(settings or ExampleSettings(), router, migrations=MIGRATIONS)


def main() -> None:
    run_service(build_runtime)
