"""Settings base every service extends (one `BaseSettings` per service).

A service subclasses `ServiceSettings` with `env_prefix="VASINI_<NAME>_"` for its own
fields; the shared fields below keep their platform-wide names (`VASINI_DATABASE_URL`,
`VASINI_REDIS_URL`, ...) whatever the prefix, through explicit aliases.
"""

from __future__ import annotations

import os
import socket

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _shared(name: str) -> AliasChoices:
    return AliasChoices(f"VASINI_{name}", name.lower())


def default_consumer_name() -> str:
    """One consumer name per process, so a restarted process never owns a dead one's PEL."""
    return f"{socket.gethostname()}-{os.getpid()}"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VASINI_", extra="ignore", populate_by_name=True)

    service_name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    database_url: str = Field(
        validation_alias=_shared("DATABASE_URL"),
        description="PostgreSQL URL of the application role (no superuser, no BYPASSRLS).",
    )
    database_admin_url: str | None = Field(
        default=None,
        validation_alias=_shared("DATABASE_ADMIN_URL"),
        description="URL of the schema owner, for migrations. Defaults to database_url.",
    )
    redis_url: str = Field(validation_alias=_shared("REDIS_URL"))
    stream_prefix: str = Field(default="", validation_alias=_shared("STREAM_PREFIX"))
    db_schema: str | None = Field(
        default=None, description="Postgres schema of the service; defaults to its name."
    )
    consumer_name: str = Field(default_factory=default_consumer_name)
    max_deliveries: int = Field(default=5, ge=1, validation_alias=_shared("MAX_DELIVERIES"))
    claim_idle_ms: int = Field(
        default=30_000,
        ge=50,
        validation_alias=_shared("CLAIM_IDLE_MS"),
        description="Pending this long without a claim refresh = its consumer is gone.",
    )
    read_batch: int = Field(default=100, ge=1, le=10_000)
    read_block_ms: int = Field(default=1_000, ge=1)
    relay_batch: int = Field(default=500, ge=1, le=10_000)
    relay_poll_s: float = Field(default=1.0, gt=0, description="Fallback poll when no NOTIFY.")
    outbox_retention_s: float = Field(default=86_400.0, gt=0)
    publish_on_commit: bool = Field(
        default=True,
        description="Send a transaction's events right after its commit (else the relay).",
    )
    publish_lease_s: float = Field(
        default=10.0,
        gt=0,
        description="How long the relay leaves a row to the process that publishes it on"
        " commit: the delay of its events if that process dies in between.",
    )
    db_pool_size: int = Field(
        default=10, ge=1, description="Connections kept open (see Database for sizing)."
    )
    db_pool_overflow: int = Field(
        default=5, ge=0, description="More connections for bursts, closed after use."
    )
    http_host: str = "127.0.0.1"
    http_port: int | None = Field(default=None, ge=0, le=65535)
    shutdown_grace_s: float = Field(default=30.0, gt=0)
    log_json: bool | None = Field(default=None, validation_alias=_shared("LOG_JSON"))
    log_level: str = Field(default="INFO", validation_alias=_shared("LOG_LEVEL"))

    @property
    def schema_name(self) -> str:
        return self.db_schema or self.service_name.replace("-", "_")

    @property
    def migrate_url(self) -> str:
        return self.database_admin_url or self.database_url
