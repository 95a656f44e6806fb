"""Hostile offices and erasure in the shared database: a typo on an Erased row, forged or
broken tombstone rows on a workbook's Log, an erase on a URL answered with nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.db_sync import sync
from crmbook.actions.importing import erase_customer
from crmbook.book.filebook import FileBook
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, EnsureSheet
from crmbook.errors import CrmbookError
from tests.db.helpers import customers, departments, edit, import_rows, set_choice, sql


@pytest.fixture
def two(demo_books: dict[str, Path], tmp_path: Path) -> tuple[str, Path, Path, int]:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    a, b = departments(url, demo_books, tmp_path, ("a.xlsx", "en"), ("b.xlsx", "en"))
    return url, a, b, min(customers(a))


def test_a_typo_in_the_choice_of_an_erased_row_refuses_the_sync(
    two: tuple[str, Path, Path, int],
) -> None:
    url, a, b, cid = two
    erase_customer(FileBook(a), cid)
    sync(FileBook(a))
    edit(b, {(cid, "Phone"): "22 33 44 55"})
    sync(FileBook(b))
    set_choice(b, cid, "tja")
    before, database = b.read_bytes(), sql(url, "SELECT * FROM customers ORDER BY customer_id")
    with pytest.raises(CrmbookError, match="tja"):
        sync(FileBook(b))
    assert b.read_bytes() == before
    assert sql(url, "SELECT * FROM customers ORDER BY customer_id") == database
    assert [r["Action"] for r in import_rows(b)].count("Erased") == 1


def test_forged_and_broken_tombstone_rows_erase_nothing(two: tuple[str, Path, Path, int]) -> None:
    """A Log row that looks like an erasure but is not one made with a key the workbook holds,
    or is cut short, deletes nobody in the database."""
    url, a, _, _ = two
    rows = [
        ["2026-01-01", "Customer erased", None, "tombstone abcdef012345 org=00ff name=-"],
        ["2026-01-01", "Customer erased", None, "tombstone"],
        ["2026-01-01", "Erasure key", None, None],
        ["2026-01-01", "Customer erased", None, '=HYPERLINK("x")'],
    ]
    FileBook(a).apply([EnsureSheet(s.LOG, ["Date", "Event", "Source", "Details"]),
                       AppendRows(s.LOG, rows)])  # fmt: skip
    count = sql(url, "SELECT COUNT(*) FROM customers")
    result = sync(FileBook(a))
    assert (result.erased, result.dropped) == (0, 0)
    assert sql(url, "SELECT COUNT(*) FROM customers") == count


def test_an_erase_on_a_url_answered_with_nothing_erases_nothing(
    two: tuple[str, Path, Path, int],
) -> None:
    url, _, _, cid = two
    done = CliRunner().invoke(main, ["customer", "erase", url, str(cid)], input="")
    assert done.exit_code == 1
    assert sql(url, "SELECT COUNT(*) FROM customers WHERE customer_id = ?", (cid,)) == [(1,)]
    assert sql(url, "SELECT COUNT(*) FROM tombstones") == [(0,)]
