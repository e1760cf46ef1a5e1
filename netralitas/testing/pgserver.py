"""A throwaway PostgreSQL server on 127.0.0.1, for the tests and benchmarks.

Production points NETRALITAS_DB_URL at the agency's own PostgreSQL; this only
exists so the same gradebook code runs against a real server here. Debian's
`postgresql` package provides the binaries (`make postgres` installs it).
PostgreSQL refuses to run as root, so as root the server runs as the
`postgres` system user (or `nobody`) in a private temporary folder.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..server import free_port

START_TIMEOUT_S = 60


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries on this machine (developers: `make postgres`)."""


def find_bin_dir() -> Path | None:
    """Folder holding initdb/pg_ctl/postgres: PATH first, then Debian's layout."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


class TempPostgres:
    """`with TempPostgres() as pg: url = pg.create_database("kursus")`.

    durable=False switches off fsync (fine for tests, whose data is thrown
    away); the benchmark keeps it on so PostgreSQL is not flattered.
    """

    def __init__(self, durable: bool = False):
        self.bin = find_bin_dir()
        if self.bin is None:
            raise PostgresUnavailable(
                "PostgreSQL binaries (initdb, pg_ctl) not found; install Debian's `postgresql` "
                "package (`make postgres`)")
        self.durable = durable
        self.port = free_port()
        self.user = "netralitas"
        self.dir: Path | None = None
        self._n = 0

    def _as_owner(self, cmd: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return cmd
        return ["runuser", "-u", self._system_user, "--", *cmd]

    @property
    def _system_user(self) -> str:
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
                return name
            except KeyError:
                continue
        raise PostgresUnavailable("running as root, but no unprivileged user (postgres/nobody) to run PostgreSQL")

    def start(self) -> "TempPostgres":
        self.dir = Path(tempfile.mkdtemp(prefix="netralitas-pg-"))
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self._system_user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        data, log = self.dir / "data", self.dir / "server.log"
        subprocess.run(self._as_owner([str(self.bin / "initdb"), "-D", str(data), "-U", self.user,
                                       "--auth=trust", "-E", "UTF8", "--no-locale"]),
                       check=True, capture_output=True, text=True)
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(self._as_owner([str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(log),
                                       "-o", options, "-w", "-t", str(START_TIMEOUT_S), "start"]),
                       check=True, capture_output=True, text=True)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def dsn(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "kursus") -> str:
        """A fresh empty database; returns its SQLAlchemy URL (psycopg 3 driver)."""
        import psycopg

        self._n += 1
        name = f"{prefix}_{self._n}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.dir is None:
            return
        subprocess.run(self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                                       "-w", "stop"]), capture_output=True, text=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> "TempPostgres":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
