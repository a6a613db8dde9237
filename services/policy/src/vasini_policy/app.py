"""Composition root of policy (`python -m vasini_policy`)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_policy.handlers import router

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class PolicySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_POLICY_", extra="ignore")

    service_name: str = "policy"


def build_runtime(settings: PolicySettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(settings or PolicySettings(), router, migrations=MIGRATIONS)


def main() -> None:
    run_service(build_runtime)
