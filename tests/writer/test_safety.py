"""A write never costs the user their workbook: locks honoured, backups kept, crashes harmless."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from crmbook.book import filebook
from crmbook.book.filebook import FileBook, backups
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, ClearMarks
from crmbook.errors import BookLockedError
from tests.writer.books import register

EDIT = [AppendRows(s.MAILINGS, [[3, "Høst"]])]
LOCK = ".~crmbook-crmbook.xlsx.lock"  # the writers' lock file: empty, hidden, may stay


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return register(tmp_path / "crmbook.xlsx", "nb")


class Clock:
    """A clock that moves one minute per call."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 22, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


@pytest.mark.parametrize("lock", ["~$crmbook.xlsx", ".~lock.crmbook.xlsx#"])
def test_an_open_workbook_is_left_untouched(book: Path, lock: str) -> None:
    (book.parent / lock).write_text("someone")
    before = book.read_bytes()
    with pytest.raises(BookLockedError) as caught:
        FileBook(book).apply(EDIT)
    assert caught.value.exit_code == 1
    message = str(caught.value)  # the book is Norwegian, so is the message
    assert "åpen i Excel eller LibreOffice" in message and "Lukk den" in message
    assert book.read_bytes() == before
    assert not (book.parent / "backups").exists()


def test_a_crash_between_write_and_rename_leaves_the_original(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = book.read_bytes()

    def killed(src: object, dst: object) -> None:
        raise OSError("killed")

    monkeypatch.setattr(filebook.os, "replace", killed)
    with pytest.raises(filebook.BookWriteError, match="uendret"):
        FileBook(book).apply(EDIT)
    assert book.read_bytes() == before
    leftovers = {p.name for p in book.parent.iterdir()} - {"crmbook.xlsx", "backups", LOCK}
    assert leftovers == set()


def test_a_failed_edit_writes_nothing(book: Path) -> None:
    before = book.read_bytes()
    with pytest.raises(filebook.BookWriteError):
        FileBook(book).apply([*EDIT, AppendRows(s.MAILINGS, [[float("nan")]])])
    assert book.read_bytes() == before
    assert {p.name for p in book.parent.iterdir()} <= {"crmbook.xlsx", LOCK}


def test_one_backup_per_run_with_the_original_content(book: Path) -> None:
    before = book.read_bytes()
    run = FileBook(book, clock=lambda: dt.datetime(2026, 11, 22, 9, 30, 5))
    run.apply(EDIT)
    run.apply(EDIT)
    assert [p.name for p in backups(book)] == ["crmbook-20261122-093005.xlsx"]
    assert backups(book)[0].read_bytes() == before
    FileBook(book, clock=lambda: dt.datetime(2026, 11, 22, 9, 30, 5)).apply(EDIT)
    assert [p.name for p in backups(book)][-1] == "crmbook-20261122-093005-2.xlsx"


def test_backups_are_pruned_to_the_last_ten_of_this_workbook(book: Path) -> None:
    other = book.parent / "backups" / "crmbook-en-20200101-000000.xlsx"
    other.parent.mkdir()
    other.write_bytes(b"another workbook's backup")
    clock = Clock()
    for _ in range(12):
        FileBook(book, clock=clock).apply(EDIT)
    names = [p.name for p in backups(book)]
    assert len(names) == 10
    assert names[0] == "crmbook-20261122-090300.xlsx"
    assert names[-1] == "crmbook-20261122-091200.xlsx"
    assert other.exists()


def test_the_workbook_keeps_its_permissions(book: Path) -> None:
    os.chmod(book, 0o640)
    FileBook(book).apply(EDIT)
    assert book.stat().st_mode & 0o777 == 0o640


def test_an_english_workbook_is_refused_in_english(tmp_path: Path) -> None:
    from tests.writer.books import register

    book = register(tmp_path / "customers.xlsx", "en")
    (tmp_path / "~$customers.xlsx").write_text("someone")
    with pytest.raises(BookLockedError, match="the workbook is open in Excel or LibreOffice"):
        FileBook(book).apply([ClearMarks(s.CUSTOMERS)])


def test_a_read_only_workbook_is_refused_before_any_work(book: Path) -> None:
    from crmbook.errors import RefusedError

    before = book.read_bytes()
    book.chmod(0o444)
    try:
        with pytest.raises(RefusedError, match="skrivebeskyttet") as caught:
            FileBook(book).apply(EDIT)
        assert caught.value.exit_code == 1
    finally:
        book.chmod(0o644)
    assert book.read_bytes() == before
    assert not (book.parent / "backups").exists()


def test_a_folder_that_cannot_be_written_is_refused_with_a_message(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the tests may run as root, which writes into any folder."""
    from crmbook.errors import RefusedError

    def refused(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filebook.tempfile, "TemporaryFile", refused)
    with pytest.raises(RefusedError, match="kan ikke skrive i denne mappen"):
        FileBook(book).apply(EDIT)


def test_a_very_long_workbook_name_still_gets_its_lock_check_and_backup(tmp_path: Path) -> None:
    from tests.writer.books import register

    name = "k" * (250 - len(".xlsx")) + ".xlsx"  # the lock file's name would be too long
    book = register(tmp_path / name, "en")
    FileBook(book).apply(EDIT)
    (kept,) = backups(book)
    assert len(kept.name.encode()) <= 255
