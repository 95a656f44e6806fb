"""Database URLs and connections: one small layer over sqlite3 and psycopg 3.

SQL is written once with ``?`` placeholders; ``Db`` turns them into psycopg's ``%s``. Both
connections run in autocommit mode and ``transaction()`` issues BEGIN/COMMIT itself, so a sync
is one transaction on either engine (SQLite: ``BEGIN IMMEDIATE`` takes the write lock at once).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crmbook.errors import CrmbookError, UsageError

SCHEMES = ("postgresql://", "postgres://", "sqlite:///")


class DatabaseError(CrmbookError, RuntimeError):
    """The database refused or failed; nothing of the failed step was written."""

    exit_code = 1


def is_url(text: object) -> bool:
    """Whether a command argument is a database URL rather than a workbook path."""
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


def has_password(url: str) -> bool:
    """Whether the URL carries a password (``postgresql://user:secret@host/db``)."""
    return urlsplit(url).password is not None


def shown_url(url: str) -> str:
    """The URL without any password, fit to print or to log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


@dataclass
class Db:
    """An open connection and the engine it speaks to ("postgresql" or "sqlite")."""

    engine: str
    conn: Any
    url: str

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run one parameterised statement; the cursor (its rows, for a query)."""
        values = [self._param(v) for v in params]
        try:
            if self.engine == "postgresql":
                return self.conn.execute(sql.replace("?", "%s"), values)
            return self.conn.execute(sql, values)
        except (sqlite3.Error, _pg_error()) as exc:
            raise DatabaseError(f"{shown_url(self.url)}: {exc}".strip()) from exc

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return list(self.execute(sql, params).fetchall())

    def many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """One statement for many rows (inside the caller's transaction)."""
        if not rows:
            return
        data = [[self._param(v) for v in row] for row in rows]
        try:
            if self.engine == "postgresql":
                with self.conn.cursor() as cur:
                    cur.executemany(sql.replace("?", "%s"), data)
            else:
                self.conn.executemany(sql, data)
        except (sqlite3.Error, _pg_error()) as exc:
            raise DatabaseError(f"{shown_url(self.url)}: {exc}".strip()) from exc

    def _param(self, value: object) -> object:
        if self.engine == "sqlite" and isinstance(value, dt.date):
            return value.isoformat()
        return value

    @contextlib.contextmanager
    def transaction(self, *, snapshot: bool = False) -> Iterator[Db]:
        """All statements inside, or none: any error (or an interrupt) rolls back.
        ``snapshot``: only reads, all from one moment of the database (values and their row
        versions must agree)."""
        if snapshot:
            sqlite, postgres = "BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        else:
            sqlite, postgres = "BEGIN IMMEDIATE", "BEGIN"
        self.execute(sqlite if self.engine == "sqlite" else postgres)
        try:
            yield self
        except BaseException:
            with contextlib.suppress(Exception):  # a dropped connection has nothing to undo
                self.conn.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def lock_customers(self) -> None:
        """Hold the customers table against other writers until the transaction ends, so new
        Customer IDs (max + 1) cannot be handed out twice (SQLite's BEGIN IMMEDIATE already
        does)."""
        if self.engine == "postgresql":
            self.execute("LOCK TABLE customers IN SHARE ROW EXCLUSIVE MODE")

    @property
    def for_update(self) -> str:
        """Suffix that locks the rows a transaction reads until it ends (PostgreSQL)."""
        return " FOR UPDATE" if self.engine == "postgresql" else ""

    def close(self) -> None:
        self.conn.close()


def _pg_error() -> type[Exception]:
    try:
        import psycopg
    except ImportError:  # psycopg missing: only SQLite runs, and its errors are caught
        return sqlite3.Error
    return psycopg.Error


def connect(url: str) -> Db:
    """Open the database a URL names. Credentials for PostgreSQL come from the URL given on the
    command line, or from the environment (PGPASSWORD, PGSERVICE) and ``~/.pgpass``, which
    libpq reads itself."""
    if not is_url(url):
        raise UsageError(
            f"{url}: not a database URL; use postgresql://HOST/DATABASE or sqlite:///FILE.db"
        )
    if url.lower().startswith("sqlite:///"):
        return _sqlite(url)
    try:
        import psycopg
    except ImportError as exc:
        raise UsageError(
            "PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'"
        ) from exc
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise DatabaseError(f"{shown_url(url)}: cannot connect: {exc}".strip()) from exc
    return Db("postgresql", conn, url)


def sqlite_path(url: str) -> Path:
    """``sqlite:///register.db`` -> register.db (relative), ``sqlite:////srv/r.db`` -> /srv/r.db."""
    return Path(url[len("sqlite:///") :])


def _sqlite(url: str) -> Db:
    path = sqlite_path(url)
    if not str(path):
        raise UsageError(f"{url}: give the database file, e.g. sqlite:///register.db")
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return Db("sqlite", conn, url)
