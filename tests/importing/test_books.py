"""Importing between real registers built by `crmbook new`, in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crmbook.actions.importing import IMPORT, LOG, import_book
from crmbook.book.filebook import FileBook
from crmbook.core import schema as s
from crmbook.core.edits import SetCells
from crmbook.errors import RefusedError
from tests.importing.helpers import clean_rows, copy, customers, edit, rows

TODAY = dt.date(2026, 11, 24)


def pair(built: dict[str, Path], tmp_path: Path, here: str, other: str) -> tuple[Path, Path]:
    return copy(built[here], tmp_path / "here"), copy(built[other], tmp_path / "other")


def test_dry_run_writes_the_plan_and_touches_no_data(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "nb", "en-west")
    before, theirs = customers(book), other.read_bytes()
    result = import_book(book, other)
    assert not result.applied and len(result.plan.new) > 0
    assert other.read_bytes() == theirs
    assert customers(book) == before
    sheet = rows(book, IMPORT)
    assert sheet[0][:3] == ["Handling", "Kundenr", "Rad der"]
    assert sheet[1][0] == "Kilde" and sheet[1][3] == "west.xlsx"
    assert sum(r[0] == "Ny kunde" for r in sheet) == len(result.plan.new)
    assert any(r[0] == "Avvist" and r[8] for r in sheet)  # the demo's planted mistakes


def test_apply_with_mixed_choices(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "nb", "nb")
    a, b, c = clean_rows(book)[:3]
    edit(
        other,
        s.CUSTOMERS,
        {(a, "Email"): "ny@firma.no", (b, "Email"): "annen@firma.no", (c, "Notes"): "Fra Vest"},
    )
    edit(
        other,
        s.CUSTOMERS,
        {
            (40, "Company"): "Helt Ny Kro AS",
            (40, "Postal code"): "5003",
            (40, "Address"): "Bryggen 1",
            (40, "City"): "Bergen",
            (40, "Department"): "Salg Vest",
            (40, "Customer ID"): 900,
        },
    )
    edit(
        other,
        s.PURCHASES,
        {
            (200, "Customer ID"): 900,
            (200, "Date"): dt.date(2026, 5, 1),
            (200, "Product"): "Bankett",
            (200, "Amount (NOK)"): 12000,
        },
    )
    theirs, before = other.read_bytes(), customers(book)
    plan = import_book(book, other).plan
    assert {(ch.field, ch.choice) for ch in plan.changes} >= {("Email", "keep"), ("Notes", "keep")}
    sheet = rows(book, IMPORT)
    choice_col = "H"
    take = {
        i + 1: "TA"
        for i, r in enumerate(sheet)
        if r[0] == "Endring" and r[5] != "Fra Vest" and r[6] == "ny@firma.no"
    }
    take |= {i + 1: "ta" for i, r in enumerate(sheet) if r[6] == "Fra Vest"}
    FileBook(book).apply([SetCells(IMPORT, {(r, choice_col): v for r, v in take.items()})])
    result = import_book(book, other, apply=True, today=TODAY)
    assert result.applied and result.stale == 0 and len(result.plan.taken()) == 2
    after = customers(book)
    assert len(after) == len(before) + len(plan.new)
    changed = {cid for cid in before if before[cid] != after[cid]}
    assert len(changed) == 2
    emails = {after[cid]["Email"] for cid in changed} | {after[cid]["Notes"] for cid in changed}
    assert {"ny@firma.no", "Fra Vest"} <= emails and "annen@firma.no" not in emails
    (kro,) = [r for r in after.values() if r["Company"] == "Helt Ny Kro AS"]
    assert kro["Department"] == "Salg Vest" and kro["Postal code"] == "5003"
    kro_id = max(after)
    bought = next(r for r in rows(book, s.PURCHASES) if r[0] == kro_id)
    assert bought[2:4] == ["Bankett", 12000.0]
    log = rows(book, LOG)
    assert log[0] == ["Dato", "Hendelse", "Kilde", "Detaljer"]
    assert log[1][1:3] == ["Import", other.name] and log[1][0] == TODAY
    assert other.read_bytes() == theirs


def test_second_import_of_the_same_file_changes_nothing(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "en", "en-west")
    first = import_book(book, other, apply=True, today=TODAY)
    assert first.plan.new and first.plan.purchases
    data = {sheet: rows(book, sheet) for sheet in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS)}
    again = import_book(book, other, apply=True, today=TODAY)
    assert again.plan.empty and again.plan.new == () and again.plan.purchases == ()
    assert {sheet: rows(book, sheet) for sheet in data} == data
    log = rows(book, LOG)  # the import is recorded, also when it finds nothing to import
    assert [r[1:3] for r in log[1:]] == [["Import", other.name]] * 2
    assert log[2][3].startswith("Nothing to import: 0 new customers") and log[2][0] == TODAY


def test_a_choice_that_cannot_be_read_refuses_the_apply(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "nb", "nb")
    a = clean_rows(book)[0]
    edit(other, s.CUSTOMERS, {(a, "Email"): "ny@firma.no"})
    import_book(book, other)
    sheet = rows(book, IMPORT)
    (row,) = [i + 1 for i, r in enumerate(sheet) if r[6] == "ny@firma.no"]
    FileBook(book).apply([SetCells(IMPORT, {(row, "H"): "tja"})])
    before = book.read_bytes()
    with pytest.raises(RefusedError, match=rf"Import.* rad {row} \('tja'\).*behold eller ta"):
        import_book(book, other, apply=True, today=TODAY)
    assert book.read_bytes() == before
    FileBook(book).apply([SetCells(IMPORT, {(row, "H"): "Behold"})])
    assert import_book(book, other, apply=True, today=TODAY).plan.empty
    assert rows(book, IMPORT)[1][8].startswith("Utført 2026-11-24: Ingenting å importere: 0 nye")


def test_the_applied_plan_is_no_longer_shown_as_pending(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "en", "en-west")
    import_book(book, other)
    assert not rows(book, IMPORT)[1][8].startswith("Applied")
    result = import_book(book, other, apply=True, today=TODAY)
    source = rows(book, IMPORT)[1]
    assert source[0] == "Source" and source[3] == other.name
    assert source[8] == f"Applied 2026-11-24: {result.summary()}"


def test_other_book_in_the_other_language(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "nb", "en")  # the same demo customers, in English
    plan = import_book(book, other).plan
    assert plan.new == () and plan.matched > 20
    lists = {"Status", "Industry", "Turnover band", "Employee band", "Remark", "No marketing"}
    assert not [c for c in plan.changes if c.field in lists]
    assert {c.field for c in plan.changes} <= {"Title", "Department", "Notes", "Country"}


def test_org_number_with_spaces_in_the_other_book(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "en", "en")
    row = clean_rows(book)[0]
    number = str(customers(book)[row - 1]["Org number"])
    edit(
        other,
        s.CUSTOMERS,
        {
            (row, "Org number"): f"{number[:3]} {number[3:6]} {number[6:]}",
            (row, "Customer ID"): 555,
        },
    )
    plan = import_book(book, other).plan
    assert plan.new == () and not [c for c in plan.changes if c.field == "Org number"]


def test_extra_columns_other_order_and_an_older_register(built: dict, tmp_path: Path) -> None:
    book, other = pair(built, tmp_path, "en", "nb-west")
    wb = load_workbook(other)
    ws = wb["Kunder"]
    ws.insert_cols(1)
    ws.cell(1, 1, "Favorittfarge")
    ws.cell(2, 1, "blå")
    ws.move_range("C1:C40", cols=30)  # Firma moves to the far right
    ws.delete_cols(23)  # an older register without Avdeling (Department)
    del wb["Utsendelser"]  # … and without Mailings
    wb.save(other)
    result = import_book(book, other, apply=True, today=TODAY)
    assert result.plan.new and result.plan.mailings == ()
    added = [r for cid, r in customers(book).items() if cid > 30]
    assert len(added) == len(result.plan.new) and all(r["Company"] for r in added)
