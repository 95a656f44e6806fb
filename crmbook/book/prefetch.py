"""Parse a workbook's sheets in the background while the command is still starting.

python-calamine parses a sheet without holding the GIL, and zlib inflates without it. So a
command that will read a workbook starts this first: one thread parses the sheets it will read,
in the reader's order, and another scans them for what calamine does not say (``sheetfacts``),
while the interpreter imports pandas and the command (~0.4 s), and while the reader builds one
sheet's frame as the next is parsed.

Memory decides the rest. A sheet's parse peaks at about twice what calamine keeps of it
(100,000 customers: 270 MB), so a big sheet is parsed only once the reader has converted the
ones before and let calamine's copies go; small sheets (within ``BUDGET`` of XML together) are
parsed one after the other without waiting. Every parse runs on the same thread, so the memory
one frees is the memory the next one takes.

The work is the reader's own, with its safety checks first (``guard``; sparse sheets are left
to the reader). What was parsed is used only while the file is still the one parsed (same
identity, size and modification time), else the reader reads again: a file saved meanwhile is
never mixed with the one before.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Future
from pathlib import Path
from typing import TypeVar

import python_calamine as calamine

from crmbook.book import guard
from crmbook.book.lock import Fingerprint, fingerprint
from crmbook.book.sheetfacts import SheetFacts, sheet_facts, worksheets
from crmbook.core import schema as s
from crmbook.core.vocabulary import find_sheet

T = TypeVar("T")
Sheet = calamine.CalamineSheet
#: Sheet XML parsed and not yet let go by the reader, at most (unless one sheet is larger):
#: 10,000 customers' sheets fit together; 100,000 customers' Customers or Purchases do not.
BUDGET = 64 * 1024 * 1024
#: A sheet to read: its name, its XML size, its parse, its scan.
_Planned = tuple[str, int, "Future[list[Sheet]]", "Future[SheetFacts]"]
#: Sheets every register read takes after the data sheets (``reader.read_book``).
_ALWAYS = (s.SETTINGS, s.LISTS)


class _Job:
    """The background read of one workbook: a parse thread and a scan thread."""

    def __init__(self, path: Path, keys: Sequence[str]) -> None:
        self.path = path
        self.seen: Fingerprint | None = fingerprint(path)
        self.plan: Future[list[_Planned]] = Future()
        #: Each parse gives a box the reader empties, so that no future keeps the sheet alive.
        self.sheets: dict[str, Future[list[Sheet]]] = {}
        self.facts: dict[str, Future[SheetFacts]] = {}
        self._state = threading.Condition()
        self._closed = False
        self._held: dict[str, int] = {}  # sheet -> XML size, parsed and not yet let go
        self._blocked = False  # the parse thread waits for the reader to let a sheet go
        self._threads = [
            threading.Thread(target=self._scan, args=(keys,), name="crmbook-prefetch-scan"),
            threading.Thread(target=self._parse, name="crmbook-prefetch-parse"),
        ]
        for thread in self._threads:
            thread.start()

    def _scan(self, keys: Sequence[str]) -> None:
        """Check the file as the reader does and list the sheets to parse, then scan them."""
        _run(self.plan, lambda: self._planned(keys))
        for name, _, _, facts in _result(self.plan) or ():
            if self._closed:
                return
            _run(facts, lambda n=name: sheet_facts(self.path, n))

    def _planned(self, keys: Sequence[str]) -> list[_Planned]:
        guard.check_file(self.path)
        names = calamine.CalamineWorkbook.from_path(str(self.path)).sheet_names
        wanted = [n for n in (find_sheet(k, names) for k in (*keys, *_ALWAYS)) if n is not None]
        parts = worksheets(self.path)
        planned = [
            (n, parts[n][0], Future(), Future())
            for n in dict.fromkeys(wanted)
            if n in parts and not parts[n][1]  # a sparse sheet is the reader's to trim
        ]
        for name, _, sheet, facts in planned:  # the reader pops them; the threads keep the list
            self.sheets[name] = sheet
            self.facts[name] = facts
        return planned

    def _parse(self) -> None:
        """Parse the sheets in order, each once the reader let the one before go."""
        books: list[calamine.CalamineWorkbook] = []  # one handle, opened on the first parse

        def parse(name: str) -> list[Sheet]:
            if not books:
                books.append(calamine.CalamineWorkbook.from_path(str(self.path)))
            return [books[0].get_sheet_by_name(name)]

        for name, size, future, _ in _result(self.plan) or ():
            with self._state:
                while self._held and sum(self._held.values()) + size > BUDGET:
                    if self._closed:
                        return
                    self._blocked = True
                    self._state.notify_all()
                    self._state.wait()
                self._blocked = False
                if self._closed:
                    return
                if not future.set_running_or_notify_cancel():
                    continue  # the reader read it itself
                self._held[name] = size
                self._state.notify_all()
            _settle(future, lambda n=name: parse(n))

    def take(self, name: str) -> Sheet | None:
        """The parsed sheet, waiting while it is parsed or about to be; None when another sheet
        the reader never took holds its place (the reader then parses this one itself)."""
        future = self.sheets.pop(name, None)
        if future is None:
            return None
        with self._state:
            while not (future.running() or future.done()):
                if self._closed or self._blocked:  # held by sheets the reader will not take
                    if future.cancel():
                        return None
                    break
                self._state.wait()
        box = _result(future)
        return box.pop() if box else None

    def release(self, name: str) -> None:
        """The reader converted the sheet ``name`` it took: the next may be parsed."""
        with self._state:
            self._held.pop(name, None)
            self._blocked = False  # the parse thread looks again
            self._state.notify_all()

    def close(self) -> None:
        """Drop what is still queued; a parse already running finishes on its own."""
        with self._state:
            self._closed = True
            for future in [*self.sheets.values(), *self.facts.values()]:
                future.cancel()
            self._state.notify_all()
        self.sheets.clear()
        self.facts.clear()


_jobs: dict[str, _Job] = {}
#: Windows refuses to rename a file over one another process has open (Python's own opens do
#: not share delete): a command waiting for the workbook's lock must not hold it open while
#: the writer before it puts its new file in place. There, the reader reads as before.
BESIDE_OTHER_WRITERS = os.name != "nt"


@contextlib.contextmanager
def reading(book: str | Path, keys: Sequence[str] = s.DATA_SHEETS) -> Iterator[None]:
    """Parse the sheets ``keys`` of ``book`` in the background for the block; what the reader
    has not taken by its end is dropped. Anything unusual (no such file, a folder, a URL) is
    left to the reader to name."""
    path = Path(book)
    key = os.path.abspath(path)
    if not BESIDE_OTHER_WRITERS or not path.is_file():
        yield
        return
    job = _jobs[key] = _Job(path, keys)
    try:
        yield
    finally:
        job.close()
        if _jobs.get(key) is job:
            del _jobs[key]


def take(path: Path, sheet_name: str) -> Sheet | None:
    """The sheet as parsed in the background, or None: not started, not yet begun, a sparse
    sheet, a failure (the reader then meets it itself), or the file changed since. The
    caller converts it, drops it, and calls ``release``."""
    job = _current(path)
    return job.take(sheet_name) if job else None


def release(path: Path, sheet_name: str) -> None:
    """Let the next sheet be parsed: the one taken is converted and dropped."""
    job = _jobs.get(os.path.abspath(path))
    if job is not None:
        job.release(sheet_name)


def finished(path: Path) -> None:
    """The reader has read the workbook: drop what it did not take, and hand the memory the
    parses freed back to the system. glibc keeps a thread's freed memory for that thread, so
    without this the 100,000-customer parses' ~100 MB would stay beside everything the command
    builds next."""
    job = _jobs.get(os.path.abspath(path))
    if job is None:
        return
    job.close()
    _trim_heap()


def _trim_heap() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # here only: most commands never start a prefetch

    with contextlib.suppress(AttributeError, OSError):  # not glibc (musl): nothing to hand back
        ctypes.CDLL(None).malloc_trim(0)


def facts(path: Path, sheet_name: str) -> SheetFacts | None:
    """The sheet's facts as scanned in the background, or None (as ``take``)."""
    job = _current(path)
    future = job.facts.pop(sheet_name, None) if job else None
    return _result(future) if future is not None else None


def _current(path: Path) -> _Job | None:
    job = _jobs.get(os.path.abspath(path))
    if job is None or _result(job.plan) is None or fingerprint(path) != job.seen:
        return None
    return job


def _run(future: Future[T], task: Callable[[], T]) -> None:
    if future.set_running_or_notify_cancel():
        _settle(future, task)


def _settle(future: Future[T], task: Callable[[], T]) -> None:
    try:
        future.set_result(task())
    except Exception as exc:  # handed to whoever asks; the reader reads again and says why
        future.set_exception(exc)


def _result(future: Future[T]) -> T | None:
    try:
        return future.result()
    except (CancelledError, Exception):
        return None
