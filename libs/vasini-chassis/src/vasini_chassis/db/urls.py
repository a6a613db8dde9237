"""PostgreSQL URL helpers: one URL in settings, the driver-specific forms derived here."""

from __future__ import annotations

from sqlalchemy.engine import make_url

_SA_DRIVER = "postgresql+asyncpg"


def sqlalchemy_url(url: str) -> str:
    """`postgresql://...` (any driver suffix) -> the asyncpg SQLAlchemy URL."""
    return make_url(url).set(drivername=_SA_DRIVER).render_as_string(hide_password=False)


def asyncpg_dsn(url: str) -> str:
    """The plain libpq-style DSN asyncpg.connect() accepts (used for LISTEN)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_user(url: str, user: str, password: str | None = None) -> str:
    """The same server and database, as another role."""
    return make_url(url).set(username=user, password=password).render_as_string(hide_password=False)


def url_user(url: str) -> str:
    user = make_url(url).username
    if not user:
        raise ValueError("the database URL names no user")
    return user
