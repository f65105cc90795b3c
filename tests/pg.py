"""A throwaway PostgreSQL cluster for tests (initdb + pg_ctl under a temp dir, loopback only).

``CRUXMAP_TEST_POSTGRES_URL`` points the tests at an existing server instead. Without
either, Postgres tests are skipped with the reason — unless ``CRUXMAP_REQUIRE_POSTGRES=1``
(set by .ci/run), where a missing server is a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root; run the server as the 'postgres' user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _unavailable(reason: str):
    if os.environ.get("CRUXMAP_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"Postgres is required here but {reason}")
    pytest.skip(f"{reason} (apt-get install postgresql, or set CRUXMAP_TEST_POSTGRES_URL)")


class Cluster:
    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            _unavailable("the PostgreSQL server binaries are not installed")
        try:
            import psycopg  # noqa: F401
        except ModuleNotFoundError:
            _unavailable("psycopg is not installed")
        self.bin = Path(bins[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="cruxmap-pg-"))
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        subprocess.run(_as_postgres([str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "cruxmap",
                                     "--no-sync", "-E", "UTF8"]), check=True, capture_output=True)
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(data), "-o", opts, "-w",
                                     "-l", str(self.dir / "log"), "start"]), check=True, capture_output=True)
        self.url = f"postgresql://cruxmap@127.0.0.1:{self.port}/postgres"
        self._n = 0

    def new_database(self) -> str:
        import psycopg

        self._n += 1
        name = f"test_{os.getpid()}_{self._n}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate",
                                     "stop"]), check=False, capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class ExistingServer:
    def __init__(self, url: str) -> None:
        self.url = url
        self._n = 0

    def new_database(self) -> str:
        import psycopg

        self._n += 1
        name = f"cruxmap_test_{os.getpid()}_{self._n}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def stop(self) -> None:
        pass
