"""A real PostgreSQL for the database tests (DESIGN decision 7), and SQLite beside it.

The server runs from Debian's postgresql binaries on a temporary data directory, listening on
a free port of 127.0.0.1 only, for the whole session, and is stopped after. As root it runs as
the ``postgres`` user (PostgreSQL refuses root). Where no PostgreSQL is installed, the
PostgreSQL half of the tests skips with the reason; ``.ci/run`` installs it, so CI runs them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmbook.book.builder import create


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(args: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *args] if user else args


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """The URL of a running PostgreSQL server's ``postgres`` database (superuser, trust)."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    binaries = _bin()
    if binaries is None:
        pytest.skip("no PostgreSQL server installed (apt-get install postgresql; .ci/run does)")
    user = "postgres" if os.geteuid() == 0 else None
    home = Path(tempfile.mkdtemp(prefix="crmbook-pg-"))
    data, port = home / "data", _free_port()
    if user:
        shutil.chown(home, user)
        home.chmod(0o700)
    run = dict(check=True, capture_output=True, cwd=home)
    initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
              "-E", "UTF8", "--locale=C"]  # fmt: skip
    subprocess.run(_as_owner(initdb, user), **run)
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {home} -c fsync=off"
    subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                              str(home / "log"), "-w", "start"], user), **run)  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast",
                                  "stop"], user), **run)  # fmt: skip
        shutil.rmtree(home, ignore_errors=True)


def fresh_pg_database(server: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    name = f"crm_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each engine: a new SQLite file, a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.db'}"
    return fresh_pg_database(request.getfixturevalue("postgres"))


@pytest.fixture(scope="session")
def demo_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Registers built once (copied per test): a demo in each language, an empty one."""
    folder = tmp_path_factory.mktemp("dbbooks")
    return {
        "en": create(folder / "en" / "demo.xlsx", lang="en", demo=40, seed=5, templates=False),
        "nb": create(folder / "nb" / "demo.xlsx", lang="nb", demo=40, seed=5, templates=False),
        "empty-en": create(folder / "e" / "empty.xlsx", lang="en", templates=False),
        "empty-nb": create(folder / "n" / "tom.xlsx", lang="nb", templates=False),
    }


def copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
