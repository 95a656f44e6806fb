"""``customer erase`` also names what a crashed run left that may hold the customer: the
workbook's temporary copies and the staging folder of a killed letters run."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crmbook.actions.importing import erase_customer
from crmbook.book.filebook import FileBook
from crmbook.book.lock import temp_prefix
from crmbook.cli import main
from tests.adversarial.lock_helpers import build


def crash_leftovers(book: Path, customer_id: int) -> list[Path]:
    """What a killed write and a killed letters run leave behind (as they name them)."""
    temp = book.parent / f"{temp_prefix(book)}k3x9q2a_.tmp"
    unfinished = book.parent / "backups" / f".{book.stem}-20261201-090000.tmp"
    staged = book.parent / "letters" / ".crmbook-1a2b3c4d-x81k" / f"{customer_id} Fjord AS.docx"
    for path in (temp, unfinished, staged):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(book.read_bytes())  # whole copies: they hold the customer
    return [temp, unfinished, staged]


def test_erase_lists_the_temporary_copies_and_staging_folders_of_crashed_runs(
    tmp_path: Path,
) -> None:
    book = build(tmp_path, "en", demo=10)
    left = crash_leftovers(book, 7)
    erased = erase_customer(FileBook(book), 7)  # e.g. from Excel: nothing is cleaned first
    shown = {p.relative_to(tmp_path).as_posix() for p in left}
    assert shown <= set(erased.files), erased.files


def test_erase_on_the_command_line_removes_stale_copies_and_lists_the_staging_folder(
    tmp_path: Path,
) -> None:
    book = build(tmp_path, "en", demo=10)
    temp, unfinished, staged = crash_leftovers(book, 7)
    done = CliRunner().invoke(main, ["customer", "erase", str(book), "7"])
    assert done.exit_code == 0, done.output
    assert not temp.exists() and not unfinished.exists()  # crmbook's own: gone under the lock
    assert staged.relative_to(tmp_path).as_posix() in done.output
