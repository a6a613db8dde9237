"""Composition root of policy (`python -m vasini_policy`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_policy.handlers import DEFAULT_APPROVAL_TIMEOUT_S, build_router

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class PolicySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_POLICY_", extra="ignore")

    service_name: str = "policy"
    approval_timeout_s: float = Field(
        default=DEFAULT_APPROVAL_TIMEOUT_S,
        gt=0,
        description="How long a person has to decide a tool call before it is denied.",
    )


def build_runtime(settings: PolicySettings | None = None) -> ServiceRuntime:
    settings = settings or PolicySettings()
    return ServiceRuntime(
        settings, build_router(settings.approval_timeout_s), migrations=MIGRATIONS
    )


def main() -> None:
    run_service(build_runtime)
