"""Writers take turns (DESIGN decision 8): a lock file beside the workbook, and a fingerprint.

A writing command holds the lock from its first read to its last write, so a second command
reads only after the first has written. The lock is the operating system's (``flock`` /
``LockFileEx`` through the ``filelock`` library): it is released when its process ends, also
when the process is killed, so a crash never leaves the workbook locked. The lock file itself is
empty and hidden (a dot name); it may stay behind and is harmless. A program that takes no lock
(Excel saving, a sync client) is caught by the fingerprint: the file's identity, size and
modification time when crmbook read it, compared again just before replacing it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from crmbook.core.filenames import fit_name
from crmbook.core.i18n import say
from crmbook.errors import BookLockedError, RefusedError

#: Seconds a second writer waits for the first before it refuses (environment: CRMBOOK_LOCK_WAIT).
DEFAULT_WAIT = 10.0
WAIT_VARIABLE = "CRMBOOK_LOCK_WAIT"
Fingerprint = tuple[int, int, int, int]


def lock_path(book: Path) -> Path:
    """``.~crmbook-NAME.lock`` beside the workbook (shortened to fit a file name)."""
    return book.parent / fit_name(".~crmbook-", book.name, ".lock")


def temp_prefix(book: Path) -> str:
    """The start of the name of a new workbook's temporary file (``.NAME-xxxxxxxx.tmp``)."""
    return fit_name(".", book.stem, "-", limit=255 - len("xxxxxxxx.tmp"))


def stale_temps(book: Path) -> list[Path]:
    """Temporary files a crashed write of this workbook left beside it."""
    pattern = re.compile(re.escape(temp_prefix(book)) + r"[a-z0-9_]{8}\.tmp")
    try:
        return sorted(p for p in book.parent.iterdir() if pattern.fullmatch(p.name))
    except OSError:
        return []


def wait_seconds() -> float:
    """How long a writer waits for the lock: CRMBOOK_LOCK_WAIT seconds, else DEFAULT_WAIT."""
    try:
        return max(0.0, float(os.environ.get(WAIT_VARIABLE, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def fingerprint(path: Path) -> Fingerprint | None:
    """What changes when any program saves the file: its identity, size and modification time."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class BookLock:
    """The workbook's writer lock; re-entrant, so ``apply`` inside a held lock just goes on."""

    def __init__(self, book: Path, lang: str, wait: float | None = None) -> None:
        self.book = book
        self._lang = lang
        self._wait = wait_seconds() if wait is None else wait
        self._lock = FileLock(lock_path(book), timeout=self._wait)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the block; wait up to the set seconds, then refuse (exit 1)."""
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise BookLockedError(self._busy()) from exc
        except OSError as exc:
            raise RefusedError(self._cannot_lock(exc)) from exc
        try:
            yield
        finally:
            self._lock.release()

    def _busy(self) -> str:
        return say(
            self._lang,
            "{path}: another crmbook command is writing to this workbook; waited {s:g} s for it. "
            "Run the command again when that one has finished; nothing was written.",
            "{path}: en annen crmbook-kommando skriver til denne arbeidsboka; ventet {s:g} s på "
            "den. Kjør kommandoen på nytt når den er ferdig; ingenting ble skrevet.",
            path=self.book,
            s=self._wait,
        )

    def _cannot_lock(self, exc: OSError) -> str:
        return say(
            self._lang,
            "{folder}: crmbook cannot write its lock file in this folder ({exc}); nothing was "
            "written. Move the workbook to a folder you can write to.",
            "{folder}: crmbook kan ikke skrive låsefila si i denne mappen ({exc}); ingenting ble "
            "skrevet. Flytt arbeidsboka til en mappe du kan skrive i.",
            folder=self.book.parent,
            exc=exc.strerror or exc,
        )
