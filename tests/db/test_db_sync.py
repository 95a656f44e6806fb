"""sync: two departments' edits merged per field, conflicts on the Import sheet, one
transaction — on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.db_push import init, push
from crmbook.actions.db_sync import SyncResult, pull, sync
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, SetCells
from crmbook.errors import CrmbookError
from tests.db.fixtures import copy
from tests.db.helpers import customers, departments, edit, import_rows, set_choice, sql


@pytest.fixture
def two(url: str, demo_books: dict[str, Path], tmp_path: Path) -> tuple[Path, Path, int]:
    """The register loaded, pulled into two departments' workbooks; a customer both have."""
    east, west = departments(url, demo_books, tmp_path, ("east.xlsx", "en"), ("west.xlsx", "nb"))
    return east, west, min(customers(east))


def phone_city(url: str, cid: int) -> tuple:
    return sql(url, "SELECT phone, city, row_version FROM customers WHERE customer_id = ?",
               (cid,))[0]  # fmt: skip


def test_edits_of_different_fields_are_both_kept(url: str, two: tuple[Path, Path, int]) -> None:
    east, west, cid = two
    edit(east, {(cid, "Phone"): "22 33 44 55"})
    edit(west, {(cid, "City"): "Tromsø"})
    assert sync(FileBook(east)).fields == 1
    assert sync(FileBook(west)).fields == 1
    assert phone_city(url, cid) == ("22 33 44 55", "Tromsø", 3)
    assert customers(west)[cid]["Phone"] == "22 33 44 55"  # the pull after the sync
    sync(FileBook(east))
    assert customers(east)[cid]["City"] == "Tromsø"
    assert sync(FileBook(east)).fields == 0  # nothing edited since: nothing sent


def test_the_same_field_changed_on_both_sides_waits_for_a_choice(
    url: str, two: tuple[Path, Path, int]
) -> None:
    east, west, cid = two
    edit(east, {(cid, "Phone"): "22 33 44 55"})
    edit(west, {(cid, "Phone"): "99 88 77 66"})
    sync(FileBook(east))
    result = sync(FileBook(west))
    assert result.conflicts == 1 and result.fields == 0
    assert phone_city(url, cid)[0] == "22 33 44 55"  # nothing overwritten silently
    assert customers(west)[cid]["Phone"] == "99 88 77 66"  # nor in the workbook
    rows = [r for r in import_rows(west) if r["Customer ID"] == cid]
    shown = [(r["Action"], r["Field"], r["This book"], r["Other book"], r["Choice"]) for r in rows]
    assert shown == [("Endring", "Telefon", "99 88 77 66", "22 33 44 55", None)]
    assert sync(FileBook(west)).conflicts == 1  # still open without a choice
    set_choice(west, cid, "behold")
    assert sync(FileBook(west)).conflicts == 0
    assert phone_city(url, cid)[0] == "99 88 77 66"
    sync(FileBook(east))
    assert customers(east)[cid]["Phone"] == "99 88 77 66"


def test_take_brings_the_database_value_into_the_workbook(
    url: str, two: tuple[Path, Path, int]
) -> None:
    east, west, cid = two
    edit(east, {(cid, "City"): "Bodø"})
    edit(west, {(cid, "City"): "Narvik"})
    sync(FileBook(east))
    sync(FileBook(west))
    set_choice(west, cid, "ta")
    result = CliRunner().invoke(main, ["db", "sync", str(west), "--json"])
    assert result.exit_code == 0, result.output
    assert '"conflicts": 0' in result.stdout and '"settled": 1' in result.stdout
    assert customers(west)[cid]["City"] == "Bodø"
    assert phone_city(url, cid)[1] == "Bodø"
    assert import_rows(west)[0]["Note"] == "Ingen åpne konflikter."


def test_a_sync_interrupted_before_commit_changes_nothing(
    url: str, two: tuple[Path, Path, int]
) -> None:
    east, _, cid = two
    edit(east, {(cid, "Phone"): "22 33 44 55", (cid + 1, "City"): "Hamar"})
    FileBook(east).apply([AppendRows(s.PURCHASES, [[cid, "2026-01-05", "Banquet", 900]])])
    before = sql(url, "SELECT * FROM customers ORDER BY customer_id")
    purchases = sql(url, "SELECT COUNT(*) FROM purchases")
    workbook = east.read_bytes()

    def interrupt() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync(FileBook(east), before_commit=interrupt)
    assert sql(url, "SELECT * FROM customers ORDER BY customer_id") == before
    assert sql(url, "SELECT COUNT(*) FROM purchases") == purchases
    assert east.read_bytes() == workbook
    assert sync(FileBook(east)).sent.purchases == 1  # and the next sync sends it all


def test_a_database_failure_half_way_rolls_the_whole_sync_back(
    url: str, two: tuple[Path, Path, int]
) -> None:
    """A real failure inside the database on the second update: the first is undone too."""
    east, _, cid = two
    if url.startswith("sqlite"):
        trigger = ["CREATE TRIGGER boom BEFORE UPDATE ON customers WHEN NEW.city = 'Boom' "
                   "BEGIN SELECT RAISE(ABORT, 'boom'); END"]  # fmt: skip
    else:
        trigger = [
            "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.city = 'Boom' THEN "
            "RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER boom BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION boom()",
        ]
    for statement in trigger:
        sql(url, statement)
    last = max(customers(east))
    edit(east, {(cid, "Phone"): "22 33 44 55", (last, "City"): "Boom"})
    before = sql(url, "SELECT * FROM customers ORDER BY customer_id")
    with pytest.raises(CrmbookError, match="boom"):
        sync(FileBook(east))
    assert sql(url, "SELECT * FROM customers ORDER BY customer_id") == before


def test_new_rows_get_customer_ids_and_their_purchases_follow(
    url: str, two: tuple[Path, Path, int]
) -> None:
    east, west, _ = two
    top = sql(url, "SELECT MAX(customer_id) FROM customers")[0][0]
    FileBook(east).apply([AppendRows(s.CUSTOMERS, [[None, "Nyheim Hotell AS"]])])
    assert sync(FileBook(east)).sent.customers == 1
    assert customers(east)[top + 1]["Company"] == "Nyheim Hotell AS"
    FileBook(east).apply([AppendRows(s.PURCHASES, [[top + 1, "2026-03-01", "Conference", 5000]])])
    assert sync(FileBook(east)).sent.purchases == 1
    assert sync(FileBook(east)).sent.purchases == 0  # never twice
    sync(FileBook(west))
    purchases = read_register(west).frame(s.PURCHASES)
    assert (purchases["Customer ID"] == top + 1).sum() == 1
    assert (purchases["Product"] == "Konferanse").sum() >= 1  # shown in the workbook's language


def test_pull_refuses_while_edits_are_unsent(url: str, two: tuple[Path, Path, int]) -> None:
    east, _, cid = two
    edit(east, {(cid, "Phone"): "22 33 44 55"})
    with pytest.raises(CrmbookError, match="db sync"):
        pull(FileBook(east), url)
    sync(FileBook(east))
    pull(FileBook(east), url)


def test_two_syncs_at_once_lose_nothing(url: str, two: tuple[Path, Path, int]) -> None:
    """Many rounds of two departments syncing the same customers at the same moment: edits
    of different fields both land; the same field edited by both is one conflict, never a
    silent overwrite (the second sync waits for the first one's locks, then sees its value)."""
    east, west, _ = two
    ids = sorted(customers(east))[:5]
    for round_ in range(8):
        edit(east, {**{(cid, "Phone"): f"4{round_}0000{cid:02d}" for cid in ids},
                    (ids[0], "Notes"): f"east {round_}"})  # fmt: skip
        edit(west, {**{(cid, "City"): f"By {round_}-{cid}" for cid in ids},
                    (ids[0], "Notes"): f"west {round_}"})  # fmt: skip
        results = _at_once(east, west)
        for cid in ids:
            phone, city, _ = phone_city(url, cid)
            assert (phone, city) == (f"4{round_}0000{cid:02d}", f"By {round_}-{cid}")
        assert sorted(r.conflicts for r in results.values()) == [0, 1]
        winner = next(book for book, r in results.items() if r.conflicts == 0)
        loser = west if winner == east else east
        notes = sql(url, "SELECT notes FROM customers WHERE customer_id = ?", (ids[0],))
        assert notes == [(f"{'east' if winner == east else 'west'} {round_}",)]
        set_choice(loser, ids[0], "take")
        assert sync(FileBook(loser)).conflicts == 0
        sync(FileBook(winner))


def _at_once(*books: Path) -> dict[Path, SyncResult]:
    results: dict[Path, SyncResult] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(books))

    def run(book: Path) -> None:
        try:
            start.wait()
            results[book] = sync(FileBook(book))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in books]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_a_row_numbered_in_the_workbook_is_a_new_customer_and_keeps_its_purchases(
    url: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    """A new row given a Customer ID here (typed, or by validate --fix) becomes a new customer
    with the database's next ID, and its purchases follow; a purchase of a customer this
    workbook did not pull is not sent, so it cannot land on another department's customer."""
    source = copy(demo_books["en"], tmp_path / "source.xlsx")
    init(url)
    push(FileBook(source), url, apply=True)
    department = sql(url, "SELECT department FROM customers WHERE department IS NOT NULL")[0][0]
    other = sql(url, "SELECT MIN(customer_id) FROM customers WHERE department <> ?",
                (department,))[0][0]  # fmt: skip
    book = copy(demo_books["empty-en"], tmp_path / "dept.xlsx")
    pull(FileBook(book), url, department)
    top = sql(url, "SELECT MAX(customer_id) FROM customers")[0][0]
    local = max(customers(book)) + 1  # what validate --fix would give here
    FileBook(book).apply([
        AppendRows(s.CUSTOMERS, [[local, "Lokalt Nummer AS"]]),
        AppendRows(s.PURCHASES, [[local, "2026-02-02", "Banquet", 1200],
                                 [other, "2026-02-03", "Banquet", 1300]]),
    ])  # fmt: skip
    assert other not in customers(book)
    result = sync(FileBook(book))
    assert (result.sent.customers, result.sent.purchases) == (1, 1)
    assert sql(url, "SELECT company FROM customers WHERE customer_id = ?", (top + 1,)) == [
        ("Lokalt Nummer AS",)
    ]
    assert sql(url, "SELECT customer_id, amount_nok FROM purchases WHERE amount_nok IN "
               "(1200, 1300)") == [(top + 1, 1200.0)]  # fmt: skip


def test_a_sync_writes_only_changed_cells_so_the_users_own_column_stays(
    url: str, two: tuple[Path, Path, int]
) -> None:
    from python_calamine import CalamineWorkbook

    east, west, cid = two
    register = read_register(east)
    row = int(register.frame(s.CUSTOMERS).index[-1])
    FileBook(east).apply([SetCells(s.CUSTOMERS, {(1, "AA"): "My note", (row, "AA"): "call"})])
    edit(west, {(cid, "City"): "Florø"})
    sync(FileBook(west))
    edit(east, {(cid, "Phone"): "22 33 44 55"})
    sync(FileBook(east))
    cells = CalamineWorkbook.from_path(str(east)).get_sheet_by_name("Customers").to_python()
    assert (cells[0][26], cells[row - 1][26]) == ("My note", "call")
    assert customers(east)[cid]["City"] == "Florø"


def test_a_new_customer_typed_into_a_departments_view_belongs_to_that_department(
    url: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    source = copy(demo_books["en"], tmp_path / "source.xlsx")
    init(url)
    push(FileBook(source), url, apply=True)
    book = copy(demo_books["empty-en"], tmp_path / "dept.xlsx")
    pull(FileBook(book), url, "Sales North")
    FileBook(book).apply([AppendRows(s.CUSTOMERS, [[None, "Ny Kunde AS"]])])
    sync(FileBook(book))
    assert sql(url, "SELECT department FROM customers WHERE company = ?", ("Ny Kunde AS",)) == [
        ("Sales North",)
    ]
    assert "Ny Kunde AS" in {r["Company"] for r in customers(book).values()}
