"""A full disk, a read-only folder, names too long: a clear message, nothing lost, nothing cut.

Full disks are real where the tests may mount a small tmpfs (root); elsewhere those tests are
skipped with the reason, and the in-process ones (an ENOSPC raised mid-copy) still run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmbook.book import backups as backups_module
from crmbook.book.filebook import BookWriteError, FileBook, backups
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows
from crmbook.errors import RefusedError
from tests.adversarial.lock_helpers import (
    SELECTION,
    TEMPLATE,
    build,
    copy,
    leftovers,
    mailings,
    run,
)

EDIT = [AppendRows(s.MAILINGS, [[900, "Spring"]])]


@contextlib.contextmanager
def tmpfs(folder: Path, size: str, *options: str) -> Iterator[Path]:
    """A small file system of its own at ``folder`` (skipped where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    opts = ",".join([f"size={size}", *options])
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(folder)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"a full disk is simulated with a tmpfs, and mount is not allowed here: "
                    f"{done.stderr.strip()}")  # fmt: skip
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` until ``leave`` bytes are free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    filler = folder / "filler.bin"
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("base"), "en", demo=30)


def test_a_backup_cut_short_by_a_full_disk_is_removed_and_the_write_refused(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = copy(base, tmp_path)
    before = book.read_bytes()

    def half_then_full(src, out, length=0) -> None:  # type: ignore[no-untyped-def]
        out.write(src.read(len(before) // 2))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups_module.shutil, "copyfileobj", half_then_full)
    with pytest.raises(BookWriteError, match="No space left on device") as caught:
        FileBook(book).apply(EDIT)
    assert caught.value.exit_code == 1 and "The workbook is unchanged" in str(caught.value)
    assert book.read_bytes() == before
    assert list((book.parent / "backups").iterdir()) == [], "no truncated backup is kept"
    assert leftovers(book.parent) == []


def test_an_incomplete_backup_is_not_counted_and_goes_at_the_next_write(
    base: Path, tmp_path: Path
) -> None:
    book = copy(base, tmp_path)
    folder = book.parent / "backups"
    folder.mkdir()
    broken = folder / f"{book.stem}-20200101-000000.xlsx"  # as an older crmbook left one
    broken.write_bytes(book.read_bytes()[:5000])
    assert backups(book) == []
    clock = iter(dt.datetime(2026, 12, 1, 9, m) for m in range(20))
    FileBook(book, clock=lambda: next(clock)).apply(EDIT)
    assert len(backups(book)) == 1 and not broken.exists()
    for _ in range(11):
        FileBook(book, clock=lambda: next(clock)).apply(EDIT)
    kept = backups(book)
    assert len(kept) == 10 and all(backups_module.is_whole(p) for p in kept)


def test_a_real_full_disk_refuses_the_write_and_keeps_no_broken_backup(
    base: Path, tmp_path: Path
) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        book = copy(base, disk)
        before = book.read_bytes()
        # the new file (about 1.4x: the report's charts and formats) fits, the backup does not
        filler = fill(disk, leave=2 * len(before))
        done = run(["report", book])
        assert done.returncode == 1, done.stderr
        assert "No space left on device" in done.stderr and "unchanged" in done.stderr
        assert "Traceback" not in done.stderr and book.read_bytes() == before
        assert list((disk / "backups").iterdir()) == [] and leftovers(disk) == []
        filler.unlink()
        assert run(["report", book]).returncode == 0
        (kept,) = backups(book)
        assert kept.read_bytes() == before


def test_letters_on_a_full_disk_say_where_they_are_and_the_rerun_logs_them(
    base: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with tmpfs(tmp_path / "disk", "2m") as disk:
        book = copy(base, disk)
        before = book.read_bytes()
        filler = fill(disk, leave=len(before) // 2)  # no room for the workbook's new version
        args = ["letters", book, "--selection", SELECTION["en"], "--template",
                disk / "letter_templates" / TEMPLATE["en"], "--out", out]  # fmt: skip
        done = run(args)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        folder = out / SELECTION["en"]
        made = len(list(folder.glob("*.docx"))) - 1
        assert made > 0 and book.read_bytes() == before
        those = "The letter is" if made == 1 else f"The {made} letters are"
        assert f"{those} in {folder}" in done.stderr
        assert "run the same command again to log them" in done.stderr
        filler.unlink()
        again = run(args)
        assert again.returncode == 0, again.stderr
        letters = "1 letter" if made == 1 else f"{made} letters"
        assert f"{letters} that a stopped run left" in again.stdout
        logged = [r for r in mailings(book) if r["Campaign"] == SELECTION["en"]]
        assert len(logged) == made and leftovers(out) == []


def test_a_preview_into_a_read_only_folder_is_a_message_not_a_traceback(
    base: Path, tmp_path: Path
) -> None:
    book = copy(base, tmp_path)
    with tmpfs(tmp_path / "ro", "1m", "ro") as folder:
        for extra in (["--preview"], []):
            done = run(["letters", book, "--selection", SELECTION["en"], "--template",
                        TEMPLATE["en"], "--out", folder, *extra])  # fmt: skip
            assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
            assert "crmbook cannot write in this folder" in done.stderr
            assert "--out" in done.stderr


def test_a_read_only_output_folder_is_refused_also_where_root_writes_anywhere(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (the tests may run as root): the folder refuses new entries."""
    from crmbook.actions.letters import Request, make_letters
    from crmbook.letters import output

    def refused(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    book = copy(base, tmp_path)
    monkeypatch.setattr(output.tempfile, "mkdtemp", refused)
    req = Request(SELECTION["en"], Path(TEMPLATE["en"]), preview=True)
    with pytest.raises(RefusedError, match="cannot write in this folder"):
        make_letters(FileBook(book), book, req, dt.date(2026, 12, 1))


def test_a_workbook_in_a_read_only_folder_is_refused_but_still_read(
    base: Path, tmp_path: Path
) -> None:
    with tmpfs(tmp_path / "share", "2m") as share:
        book = copy(base, share)
        subprocess.run(["mount", "-o", "remount,ro", str(share)], check=True)
        done = run(["validate", book])
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "cannot write its lock file in this folder" in done.stderr
        assert run(["validate", book, "--no-write"]).returncode in (0, 1)
        assert run(["report", book, "--no-write"]).returncode == 0
