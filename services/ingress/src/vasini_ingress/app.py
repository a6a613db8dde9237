"""Composition root of ingress (`python -m vasini_ingress`): the HTTP API on
`http_port` (with /healthz and /readyz), the consumer projecting run events and
recording approval requests, and the worker expiring approvals."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from vasini_chassis.runtime import ServiceRuntime, run_service
from vasini_chassis.settings import ServiceSettings
from vasini_ingress.adapters.known_keys import KnownKeys
from vasini_ingress.adapters.rate_limit import RateLimiter
from vasini_ingress.adapters.repository import IngressRepository
from vasini_ingress.api import RequestContext, create_api
from vasini_ingress.expiry import ApprovalExpiry
from vasini_ingress.handlers import router
from vasini_ingress.live import LiveRuns
from vasini_ingress.service import IngressService

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class IngressSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_INGRESS_", extra="ignore")

    service_name: str = "ingress"
    http_port: int | None = Field(default=8080, ge=0, le=65535)
    admin_key: SecretStr | None = Field(
        default=None, description="Platform admin key: creates tenants. Unset = no admin."
    )
    # Every API request runs a transaction of its own next to the projection consumer's.
    db_pool_size: int = Field(default=20, ge=1, description="Connections kept open.")
    rate_limit_per_s: int = Field(default=50, ge=1, description="Requests per second per tenant.")
    max_body_bytes: int = Field(default=1_048_576, ge=1_024)
    sse_poll_s: float = Field(
        default=1.0,
        gt=0,
        description="How often a live stream (SSE) looks for events without being told: "
        "committed events wake it at once (NOTIFY); this covers lost notifications.",
    )
    sse_heartbeat_s: float = Field(
        default=15.0,
        gt=0,
        description="A quiet live stream sends a comment line this often, so proxies and "
        "clients do not take it for a dead connection.",
    )
    approval_sweep_s: float = Field(
        default=1.0, gt=0, description="How often approvals past their deadline are expired."
    )


def build_runtime(settings: IngressSettings | None = None) -> ServiceRuntime:
    settings = settings or IngressSettings()
    # The API uses the runtime's database and Redis, and the runtime serves the API.
    runtime = ServiceRuntime(settings, router, migrations=MIGRATIONS)
    repository = IngressRepository(runtime.db, settings.stream_prefix)
    keys = KnownKeys(repository.find_key)
    runtime.on_notify("api_keys", keys.changed)
    service = IngressService(
        repository,
        keys,
        RateLimiter(runtime.redis, settings.rate_limit_per_s, key_prefix=settings.stream_prefix),
        settings.admin_key.get_secret_value() if settings.admin_key else None,
    )
    live = LiveRuns()
    runtime.on_notify("run_events", live.changed)
    api = create_api(
        service, live, poll_s=settings.sse_poll_s, heartbeat_s=settings.sse_heartbeat_s
    )
    api.add_middleware(RequestContext, max_body_bytes=settings.max_body_bytes)
    runtime.serve(api)
    runtime.add_worker(
        "approval-expiry", ApprovalExpiry(service, every_s=settings.approval_sweep_s)
    )
    return runtime


def main() -> None:
    run_service(build_runtime)
