"""Erasure and the shared database: a customer erased in one department's workbook is erased
in the database at its sync, stays out of every other department's workbook, and comes back
only by an explicit keep/take — on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from crmbook.actions.db_push import init, push
from crmbook.actions.db_sync import pull, sync
from crmbook.actions.importing import erase_customer
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows
from tests.db.fixtures import copy
from tests.db.helpers import customers, departments, edit, import_rows, set_choice, sql


@pytest.fixture
def two(url: str, demo_books: dict[str, Path], tmp_path: Path) -> tuple[Path, Path, int]:
    """The register loaded, pulled into departments A and B; a customer with purchases and
    mailings that both hold."""
    a, b = departments(url, demo_books, tmp_path, ("a.xlsx", "en"), ("b.xlsx", "nb"))
    bought = sql(url, "SELECT customer_id FROM purchases INTERSECT SELECT customer_id FROM "
                      "mailings ORDER BY customer_id")  # fmt: skip
    return a, b, bought[0][0]


def in_db(url: str, cid: int) -> tuple[int, int, int]:
    return tuple(
        sql(url, f"SELECT COUNT(*) FROM {t} WHERE customer_id = ?", (cid,))[0][0]
        for t in ("customers", "purchases", "mailings")
    )  # type: ignore[return-value]


def sheet_ids(book: Path, sheet: str) -> set[int]:
    frame = read_register(book, [sheet], strict=False).frame(sheet)
    return {typed.integer(v) for v in frame["Customer ID"]} - {None}


def erased_here(a: Path, cid: int) -> str:
    """Erase the customer in the workbook, as `crmbook customer erase` does; its org number."""
    org = customers(a)[cid]["Org number"]
    erase_customer(FileBook(a), cid)
    return str(org)


def test_an_erasure_in_a_workbook_reaches_the_database_at_its_sync(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, _, cid = two
    assert in_db(url, cid)[1] and in_db(url, cid)[2]
    erased_here(a, cid)
    assert cid not in sheet_ids(a, s.SYNC)  # the Sync sheet's copy of the row is erased too
    result = sync(FileBook(a))
    assert result.erased == 1
    assert in_db(url, cid) == (0, 0, 0)
    assert sql(url, "SELECT COUNT(*) FROM tombstones")[0][0] == 1
    assert cid not in customers(a)  # not brought back by the pull after the sync
    assert sync(FileBook(a)).erased == 0  # once


def test_a_department_that_edited_the_customer_sees_a_conflict_and_take_erases(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, b, cid = two
    erased_here(a, cid)
    sync(FileBook(a))
    edit(b, {(cid, "Phone"): "22 33 44 55"})
    result = sync(FileBook(b))
    assert result.conflicts == 1
    assert in_db(url, cid) == (0, 0, 0)  # not back
    assert customers(b)[cid]["Phone"] == "22 33 44 55"  # nor lost: the workbook keeps it
    assert cid in sheet_ids(b, s.PURCHASES)
    rows = [r for r in import_rows(b) if r["Customer ID"] == cid]
    assert [(r["Action"], r["Choice"]) for r in rows] == [("Slettet", None)]
    assert "slettet" in rows[0]["Note"] and rows[0]["This book"]  # the erasure's date
    assert sync(FileBook(b)).conflicts == 1  # still open without a choice
    assert in_db(url, cid) == (0, 0, 0)
    set_choice(b, cid, "ta")
    assert sync(FileBook(b)).conflicts == 0
    assert cid not in customers(b) and cid not in sheet_ids(b, s.PURCHASES)
    assert cid not in sheet_ids(b, s.SYNC)
    assert in_db(url, cid) == (0, 0, 0)


def test_keep_sends_the_edited_customer_back_as_a_new_one_with_their_rows(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, b, cid = two
    erased_here(a, cid)
    sync(FileBook(a))
    edit(b, {(cid, "City"): "Narvik"})
    sync(FileBook(b))
    bought = len([1 for c in read_register(b).frame(s.PURCHASES)["Customer ID"] if c == cid])
    set_choice(b, cid, "behold")
    result = sync(FileBook(b))
    assert (result.conflicts, result.sent.customers) == (0, 1)
    back = sql(url, "SELECT customer_id FROM customers WHERE city = 'Narvik'")
    assert len(back) == 1 and back[0][0] > cid  # a new Customer ID, never the erased one's
    assert in_db(url, back[0][0])[1] == bought  # the purchases came along
    assert customers(b)[back[0][0]]["City"] == "Narvik"
    assert cid not in customers(b)


def test_a_department_that_did_not_edit_the_customer_simply_loses_them(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, b, cid = two
    erased_here(a, cid)
    sync(FileBook(a))
    result = sync(FileBook(b))
    assert (result.conflicts, result.dropped) == (0, 1)
    for sheet in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS, s.SYNC):
        assert cid not in sheet_ids(b, sheet)
    log = read_register(b, [s.LOG], strict=False).frame(s.LOG)
    assert log["Details"].str.startswith("tombstone").sum() == 1  # the erasure came along
    assert in_db(url, cid) == (0, 0, 0)


def test_an_old_workbook_pushed_later_does_not_bring_the_customer_back(
    url: str, two: tuple[Path, Path, int], demo_books: dict[str, Path], tmp_path: Path
) -> None:
    """Another department's old copy of the register, from before the database."""
    a, _, cid = two
    org = erased_here(a, cid).replace(" ", "")
    sync(FileBook(a))
    old = copy(demo_books["en"], tmp_path / "old.xlsx")
    plan = push(FileBook(old), url)
    assert plan.counts()["erased"] == 1
    assert [r["Action"] for r in import_rows(old)].count("Erased") == 1
    push(FileBook(old), url, apply=True)
    assert in_db(url, cid) == (0, 0, 0)
    assert sql(url, "SELECT COUNT(*) FROM customers WHERE org_number = ?", (org,)) == [(0,)]
    rows = import_rows(old)
    row = next(i for i, r in enumerate(rows, 2) if r["Action"] == "Erased")
    from crmbook.core.edits import SetCells

    FileBook(old).apply([SetCells(s.IMPORT, {(row, "H"): "take"})])
    push(FileBook(old), url, apply=True)  # an explicit take adds them again, with a new ID
    found = sql(url, "SELECT customer_id FROM customers WHERE org_number = ?", (org,))
    assert len(found) == 1 and found[0][0] > cid


def test_a_new_row_naming_an_erased_customer_waits_for_a_choice(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, b, cid = two
    row = customers(b)[cid]
    erased_here(a, cid)
    sync(FileBook(a))
    sync(FileBook(b))  # unedited there: gone
    typed_again = [None, row["Company"], row["Org number"]]
    FileBook(b).apply([AppendRows(s.CUSTOMERS, [typed_again])])
    result = sync(FileBook(b))
    assert (result.conflicts, result.sent.customers) == (1, 0)
    assert str(row["Company"]) in {str(r["Company"]) for r in customers_rows(b)}
    assert sql(url, "SELECT COUNT(*) FROM customers WHERE company = ?", (row["Company"],)) == [(0,)]


def customers_rows(book: Path) -> list[dict]:
    return read_register(book, strict=False).frame(s.CUSTOMERS).to_dict("records")


def test_erase_on_a_database_url_asks_first_and_leaves_a_tombstone(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, _, cid = two
    company = customers(a)[cid]["Company"]
    note = f"Called {company} about the invoice"
    sql(url, "INSERT INTO log (log_id, logged_at, event, source, details) VALUES "
             "(999, '2026-01-01', 'Note', NULL, ?)", (note,))  # fmt: skip
    run = CliRunner()
    refused = run.invoke(main, ["customer", "erase", url, str(cid)], input="n\n")
    assert refused.exit_code == 1, refused.output
    assert f"{cid} {company}" in refused.output and "Nothing was erased" in refused.output
    assert in_db(url, cid)[0] == 1
    done = run.invoke(main, ["customer", "erase", url, str(cid)], input="y\n")
    assert done.exit_code == 0, done.output
    assert in_db(url, cid) == (0, 0, 0)
    assert sql(url, "SELECT COUNT(*) FROM log WHERE details LIKE ?", (f"%{company}%",)) == [(0,)]
    assert sql(url, "SELECT COUNT(*) FROM tombstones") == [(1,)]
    missing = run.invoke(main, ["customer", "erase", url, str(cid), "--yes"])
    assert missing.exit_code == 2 and "no customer" in missing.output
    assert sync(FileBook(a)).dropped == 1  # the department learns of it at its sync
    assert cid not in customers(a)


def test_a_new_customer_never_gets_an_erased_customers_id(
    url: str, two: tuple[Path, Path, int]
) -> None:
    _, b, _ = two
    top = sql(url, "SELECT MAX(customer_id) FROM customers")[0][0]
    assert CliRunner().invoke(main, ["customer", "erase", url, str(top), "--yes"]).exit_code == 0
    FileBook(b).apply([AppendRows(s.CUSTOMERS, [[None, "Nyheim Hotell AS"]])])
    sync(FileBook(b))
    assert sql(url, "SELECT customer_id FROM customers WHERE company = 'Nyheim Hotell AS'") == [
        (top + 1,)
    ]
    assert top not in customers(b)


@pytest.mark.parametrize("edited", [False, True])
@pytest.mark.parametrize("choice", [None, "keep", "take"])
def test_an_erased_customer_is_never_lost_silently(
    url: str, two: tuple[Path, Path, int], edited: bool, choice: str | None
) -> None:
    """After A's erasure and B's syncs, B's customer and edit are in the database, in B's
    workbook waiting for a choice, or gone because B chose take (or had nothing of its own)."""
    a, b, cid = two
    erased_here(a, cid)
    sync(FileBook(a))
    if edited:
        edit(b, {(cid, "Notes"): "Called 3 March"})
    sync(FileBook(b))
    if edited and choice:
        set_choice(b, cid, choice)
    sync(FileBook(b))
    noted = sql(url, "SELECT COUNT(*) FROM customers WHERE notes = 'Called 3 March'")[0][0]
    held = cid in customers(b)
    assert in_db(url, cid) == (0, 0, 0)
    if not edited:
        assert not held and not noted
    elif choice == "keep":
        assert noted == 1 and not held
    elif choice == "take":
        assert not noted and not held
    else:
        assert held and not noted and customers(b)[cid]["Notes"] == "Called 3 March"


def test_the_erasure_also_clears_the_recipients_a_department_computed(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, b, _ = two
    done = CliRunner().invoke(main, ["select", str(b), "--selection", "Conference offer",
                                     "--json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    chosen = min(json.loads(done.stdout)["customer_ids"])
    assert chosen in sheet_ids(b, s.RECIPIENTS)
    erased_here(a, chosen)
    sync(FileBook(a))
    assert sync(FileBook(b)).dropped == 1
    assert chosen not in sheet_ids(b, s.RECIPIENTS) and chosen not in customers(b)


def test_the_erasure_also_leaves_the_report_a_department_made(
    url: str, two: tuple[Path, Path, int]
) -> None:
    a, b, _ = two
    done = CliRunner().invoke(main, ["report", str(b)])
    assert done.exit_code == 0, done.output
    names = {str(r["Company"]): cid for cid, r in customers(b).items()}

    def on_report() -> set[str]:
        from openpyxl import load_workbook

        book = load_workbook(b, read_only=True)  # read-only keeps the file open until closed
        try:
            sheet = book["Rapport"]  # B is a Norwegian workbook
            return {str(v) for row in sheet.iter_rows(values_only=True) for v in row} & set(names)
        finally:
            book.close()

    shown = sorted(on_report())
    assert shown, "the demo Report names its top customers"
    chosen = names[shown[0]]
    erased_here(a, chosen)
    sync(FileBook(a))
    assert sync(FileBook(b)).dropped == 1
    assert shown[0] not in on_report()  # their name left the Report with them


@settings(max_examples=8, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_erasures_and_edits_of_two_departments_lose_nothing_silently(
    demo_books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """Random customers erased in A, random customers edited in B, random choices on B's Import
    sheet: an erased customer is never in the database unless B typed keep; B's edit of any
    other customer arrives; an edit of an erased customer is in the database (keep), waits in
    B (no choice), or is gone because B typed take."""
    folder = tmp_path_factory.mktemp("prop")
    url = f"sqlite:///{folder / 'register.db'}"
    source = copy(demo_books["en"], folder / "source.xlsx")
    init(url)
    push(FileBook(source), url, apply=True)
    a, b = copy(demo_books["empty-en"], folder / "a.xlsx"), copy(demo_books["empty-nb"],
                                                                  folder / "b.xlsx")  # fmt: skip
    pull(FileBook(a), url)
    pull(FileBook(b), url)
    ids = sorted(customers(a))[:8]
    erased = data.draw(st.sets(st.sampled_from(ids), min_size=1, max_size=3))
    edited = data.draw(st.sets(st.sampled_from(ids), max_size=4))
    choices = {c: data.draw(st.sampled_from([None, "keep", "take"])) for c in erased & edited}
    for cid in erased:
        erase_customer(FileBook(a), cid)
    sync(FileBook(a))
    if edited:
        edit(b, {(cid, "Notes"): f"note {cid}" for cid in edited})
    sync(FileBook(b))
    for cid, choice in choices.items():
        if choice:
            set_choice(b, cid, choice)
    sync(FileBook(b))
    book = customers(b)
    for cid in ids:
        noted = sql(url, "SELECT COUNT(*) FROM customers WHERE notes = ?", (f"note {cid}",))[0][0]
        if cid not in erased:
            assert noted == (cid in edited)
            continue
        assert in_db(url, cid) == (0, 0, 0)
        choice = choices.get(cid, "take")  # unedited: the erasure simply reaches B
        assert noted == (choice == "keep")
        assert (cid in book) == (choice is None)
        if choice is None:
            assert book[cid]["Notes"] == f"note {cid}"


def test_a_pull_brings_the_erasures_so_the_workbooks_own_import_respects_them(
    url: str, two: tuple[Path, Path, int], demo_books: dict[str, Path], tmp_path: Path
) -> None:
    """Erased in the database; a workbook pulled afterwards gets the tombstone and its key on
    its Log, so importing another department's old copy there does not add the customer."""
    _, _, cid = two
    org = sql(url, "SELECT org_number FROM customers WHERE customer_id = ?", (cid,))[0][0]
    assert CliRunner().invoke(main, ["customer", "erase", url, str(cid), "--yes"]).exit_code == 0
    fresh = copy(demo_books["empty-en"], tmp_path / "fresh.xlsx")
    pull(FileBook(fresh), url)
    log = read_register(fresh, [s.LOG], strict=False).frame(s.LOG)
    assert set(log["Event"]) == {"Erasure key", "Customer erased"}
    assert set(log["Source"]) == {url}  # the database they came from (no password in it)
    old = copy(demo_books["en"], tmp_path / "old.xlsx")
    done = CliRunner().invoke(main, ["import", str(fresh), str(old), "--apply", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["erased"] == 1
    orgs = {str(c["Org number"]).replace(" ", "") for c in customers(fresh).values()}
    assert org not in orgs
