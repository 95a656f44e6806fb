"""Reading a register: either language, any column order, extra columns, rows below a table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from crmbook.book import layout
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.errors import BookReadError


def write_book(path: Path, lang: str, customers: list[list[object]], **extra: object) -> Path:
    """A minimal register: every data sheet with its headers; Customers rows given."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in s.DATA_SHEETS:
        ws = wb.create_sheet(layout.sheet_name(sheet, lang))
        ws.append(layout.headers(sheet, lang))
    ws = wb[layout.sheet_name(s.CUSTOMERS, lang)]
    for row in customers:
        ws.append(row)
    for name, rows in extra.items():
        ws = wb.create_sheet(name)
        for row in rows:  # type: ignore[attr-defined]
            ws.append(row)
    wb.save(path)
    return path


def customer(cid: object, company: str, **fields: object) -> list[object]:
    row: list[object] = [None] * len(s.SHEET_FIELDS[s.CUSTOMERS])
    names = [f.name for f in s.SHEET_FIELDS[s.CUSTOMERS]]
    row[0], row[1] = cid, company
    for name, value in fields.items():
        row[names.index(name.replace("_", " "))] = value
    return row


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_reads_either_language_with_cell_locations(tmp_path: Path, lang: str) -> None:
    path = write_book(
        tmp_path / "b.xlsx",
        lang,
        [customer(1, "Bølgen & Søn AS", City="Tromsø"), [], customer(2, "Ærø Fjellstue")],
    )
    reg = read_register(path)
    assert reg.lang == lang
    frame = reg.frame(s.CUSTOMERS)
    assert list(frame.index) == [2, 4]  # the empty row 3 is ignored, Excel rows kept
    assert frame.loc[2, "Company"] == "Bølgen & Søn AS"
    assert frame.loc[2, "City"] == "Tromsø"
    assert frame.loc[4, "City"] is None
    assert reg.sheets[s.CUSTOMERS].column("Company") == "B"
    assert reg.sheet_name(s.CUSTOMERS) == layout.sheet_name(s.CUSTOMERS, lang)


def test_headers_in_any_order_case_spacing_with_extra_columns(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in s.DATA_SHEETS:
        wb.create_sheet(sheet).append(layout.headers(sheet, "en"))
    ws = wb[s.CUSTOMERS]
    ws.delete_rows(1)
    heads = list(reversed(layout.headers(s.CUSTOMERS, "en")))
    heads = [h.upper().replace(" ", "  ") for h in heads]
    ws.append(["My own column", *heads])
    ws.append(["kept", *([None] * (len(heads) - 2)), "Fjord AS", 7])
    wb.save(tmp_path / "b.xlsx")
    reg = read_register(tmp_path / "b.xlsx")
    frame = reg.frame(s.CUSTOMERS)
    assert frame.loc[2, "Customer ID"] == 7
    assert frame.loc[2, "Company"] == "Fjord AS"
    assert reg.sheets[s.CUSTOMERS].column("Customer ID") == layout.column_letter(len(heads))
    assert "My own column" not in frame.columns


def test_rows_below_a_tables_range_are_read(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    write_book(path, "en", [customer(1, "A AS"), customer(2, "B AS")])
    wb = openpyxl.load_workbook(path)
    ws = wb[s.CUSTOMERS]
    last = layout.column_letter(len(s.SHEET_FIELDS[s.CUSTOMERS]) - 1)
    ws.add_table(Table(displayName="tblCustomers", ref=f"A1:{last}2"))  # covers row 2 only
    wb.save(path)
    assert list(read_register(path).frame(s.CUSTOMERS)["Company"]) == ["A AS", "B AS"]


def test_typed_cells_come_back_as_written(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "b.xlsx",
        "en",
        [customer(1, "A AS", Postal_code="0150", Employees=120, Notes="=1+1")],
    )
    wb = openpyxl.load_workbook(path)
    wb[s.PURCHASES].append([1, dt.datetime(2025, 3, 4), "Conference", 12500.5, None])
    wb.save(path)
    reg = read_register(path)
    row = reg.frame(s.CUSTOMERS).loc[2]
    assert row["Postal code"] == "0150"
    assert row["Employees"] == 120
    purchase = reg.frame(s.PURCHASES).loc[2]
    assert purchase["Date"] == dt.date(2025, 3, 4)  # a midnight date-time reads as a date
    assert purchase["Amount (NOK)"] == 12500.5


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    path = write_book(tmp_path / "b.xlsx", "nb", [])
    wb = openpyxl.load_workbook(path)
    del wb["Kjøp"]
    wb.save(path)
    with pytest.raises(BookReadError, match="«Kjøp» mangler"):
        read_register(path)
    lenient = read_register(path, strict=False)
    assert lenient.frame(s.PURCHASES).empty


def test_missing_header_is_named(tmp_path: Path) -> None:
    path = write_book(tmp_path / "b.xlsx", "en", [])
    wb = openpyxl.load_workbook(path)
    wb[s.CUSTOMERS]["C1"] = "Organisation"
    wb.save(path)
    with pytest.raises(BookReadError, match="sheet 'Customers' has no column 'Org number'"):
        read_register(path)


def test_not_a_workbook_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "customers.xlsx"
    bad.write_text("Company;City\nFjord AS;Bergen\n", encoding="utf-8")
    with pytest.raises(BookReadError, match=r"not an \.xlsx workbook"):
        read_register(bad)
    with pytest.raises(BookReadError, match="no such file"):
        read_register(tmp_path / "nope.xlsx")


def test_lists_and_settings_in_norwegian(tmp_path: Path) -> None:
    lists = [["Status", "Produkt"], ["Kunde", "Konferanse"], ["Prospekt", "Sykkelutleie"]]
    settings = [["Innstilling", "Verdi"], ["Avsender firma", "Fjordhotellet AS"], ["Språk", "nb"]]
    path = write_book(tmp_path / "b.xlsx", "nb", [], Lister=lists, Innstillinger=settings)
    reg = read_register(path)
    assert reg.lists["product"] == ["Konferanse", "Sykkelutleie"]
    assert reg.lists["status"] == ["Kunde", "Prospekt"]
    assert reg.lists["remark"] == list(s.LISTS_EN["remark"])  # absent: the defaults
    assert reg.settings == {"Sender company": "Fjordhotellet AS", "Language": "nb"}


def test_excel_error_cells_are_read_as_errors_not_blanks(tmp_path: Path) -> None:
    """python-calamine reads #REF! as blank; the reader must not hide a broken formula."""
    import re
    import zipfile

    from crmbook.core.register import ExcelError

    path = write_book(tmp_path / "b.xlsx", "en", [customer(1, "A AS", Employees="x")])
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    cell = re.compile(rb'<c r="R2"[^>]*>.*?</c>')
    members[sheet] = cell.sub(b'<c r="R2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', members[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    value = read_register(path).frame(s.CUSTOMERS).loc[2, "Employees"]
    assert isinstance(value, ExcelError) and value == "#DIV/0!"


def test_a_norwegian_book_with_its_customers_sheet_renamed_is_told_so_in_norwegian(
    tmp_path: Path,
) -> None:
    path = write_book(tmp_path / "b.xlsx", "nb", [])
    wb = openpyxl.load_workbook(path)
    wb["Kunder"].title = "Kunderx"
    wb.save(path)
    with pytest.raises(BookReadError, match="«Kunder» mangler"):
        read_register(path)
