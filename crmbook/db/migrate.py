"""The database's schema version: plain numbered SQL files, applied in order, each in one
transaction together with its row in ``schema_version`` (docs/database.md says why not Alembic)."""

from __future__ import annotations

import datetime as dt
from importlib import resources

from crmbook.db.connect import DatabaseError, Db, connect, shown_url

VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version "
    "(version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration shipped, in order."""
    folder = resources.files("crmbook.db.migrations")
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.name, item.read_text("utf-8")))
    return sorted(found)


def statements(sql: str) -> list[str]:
    """The statements of a migration file: split at ``;`` ending a line, comments dropped."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";\n") if part.strip(" \n;")]


def current_version(db: Db) -> int | None:
    """The highest migration applied, or None when crmbook never initialised this database."""
    try:
        return db.rows("SELECT MAX(version) FROM schema_version")[0][0]
    except DatabaseError:
        return None


def upgrade(db: Db) -> list[str]:
    """Apply every migration newer than the database; the names of those applied."""
    db.execute(VERSION_TABLE)
    done = current_version(db) or 0
    applied = []
    for version, name, sql in migrations():
        if version <= done:
            continue
        with db.transaction():
            for statement in statements(sql):
                db.execute(statement.rstrip(";"))
            db.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                [version, name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")],
            )
        applied.append(name)
    return applied


def require_current(db: Db) -> None:
    """Refuse a database crmbook did not initialise, or one newer than this crmbook."""
    have, want = current_version(db), migrations()[-1][0]
    url = shown_url(db.url)
    if have is None:
        raise DatabaseError(f"{url}: no crmbook register here yet; run: crmbook db init {url}")
    if have < want:
        raise DatabaseError(
            f"{url}: the register is at version {have}; run crmbook db init {url} to upgrade "
            f"it to version {want}."
        )
    if have > want:
        raise DatabaseError(
            f"{url}: the register is at version {have}, newer than this crmbook knows; "
            "upgrade crmbook."
        )


def open_current(url: str) -> Db:
    """A connection to a register at this crmbook's version (closed again when refused)."""
    db = connect(url)
    try:
        require_current(db)
    except BaseException:
        db.close()
        raise
    return db
