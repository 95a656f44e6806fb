"""A write touches only what it must: other parts kept byte for byte, unknown markup kept."""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine

from crmbook.book.filebook import BookWriteError, FileBook
from crmbook.book.xlsx.package import CALC_CHAIN
from crmbook.book.xlsx.sheet import ORDER
from crmbook.core import schema as s
from crmbook.core.edits import (
    AppendRows,
    ClearRows,
    EnsureSheet,
    Link,
    ReplaceRows,
    SetCells,
)
from crmbook.errors import BookReadError
from tests.writer.books import (
    X14_VALIDATION,
    add_x14_validation,
    patch_member,
    raw_members,
    register,
)

MAILINGS_PART = "xl/worksheets/sheet2.xml"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return register(tmp_path / "crmbook.xlsx", "nb")


def rows(path: Path, sheet: str) -> list[list[object]]:
    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def member(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def test_untargeted_members_are_copied_byte_for_byte(book: Path) -> None:
    before = raw_members(book)
    FileBook(book).apply([AppendRows(s.MAILINGS, [[3, "Høst", 3, "Firma 3 AS"]])])
    after = raw_members(book)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {MAILINGS_PART, "xl/tables/table1.xml"}
    assert set(after) == set(before)


def test_append_goes_under_the_last_row_and_grows_the_table(book: Path) -> None:
    FileBook(book).apply([AppendRows(s.MAILINGS, [[3, "Høst", 3], [4, "Høst", 4]])])
    got = rows(book, "Utsendelser")
    assert [r[:3] for r in got[1:]] == [[1.0, "Vår 2025", 1.0], [2.0, "Vår 2025", 2.0],
                                        [3.0, "Høst", 3.0], [4.0, "Høst", 4.0]]  # fmt: skip
    table = member(book, "xl/tables/table1.xml")
    assert 'ref="A1:J5"' in table
    assert '<autoFilter ref="A1:J5"/>' in table


def test_new_rows_copy_the_format_of_the_row_above(book: Path) -> None:
    FileBook(book).apply([AppendRows(s.MAILINGS, [[3, "Høst", 3, "F", "t", dt.date(2025, 9, 1)]])])
    ws = openpyxl.load_workbook(book)["Utsendelser"]
    assert ws["F4"].number_format == "dd.mm.yyyy"
    assert ws["F4"].value == dt.datetime(2025, 9, 1)


def test_replace_rows_clears_below_and_shrinks_the_table(book: Path) -> None:
    FileBook(book).apply([ReplaceRows(s.MAILINGS, [[9, "Ny"]])])
    got = rows(book, "Utsendelser")
    assert [r[:2] for r in got[1:] if any(v != "" for v in r)] == [[9.0, "Ny"]]
    assert 'ref="A1:J2"' in member(book, "xl/tables/table1.xml")
    ws = openpyxl.load_workbook(book)["Utsendelser"]
    assert ws["H3"].fill.fgColor.rgb == "FFFFFF00", "clearing keeps the cell's own format"


def test_header_rewrite_renames_the_table_columns(book: Path) -> None:
    header = ["Nr", "Kampanje", "Kundenr", "Firma", "Mal", "Sendt", "Fil", "Svar", "Dato", "Notat"]
    FileBook(book).apply([ReplaceRows(s.MAILINGS, [], header=header)])
    table = member(book, "xl/tables/table1.xml")
    assert '<tableColumn id="1" name="Nr"/>' in table
    assert 'ref="A1:J2"' in table


def test_unknown_markup_survives_in_a_written_sheet(book: Path) -> None:
    add_x14_validation(book)
    FileBook(book).apply([AppendRows(s.MAILINGS, [[3, Link("til kunden", "'Kunder'!B2")]])])
    xml = member(book, MAILINGS_PART)
    assert X14_VALIDATION.split("<x14:formula1>")[1].split("</x14:formula1>")[0] in xml
    for kept in ("<mergeCell ref=\"L1:M1\"/>", "<conditionalFormatting", "<dataValidations",
                 'ht="30"', "<cols>", "<tableParts"):  # fmt: skip
        assert kept in xml, kept
    assert '<hyperlink ref="B4" location="\'Kunder\'!B2" display="til kunden"/>' in xml
    tags = re.findall(r"<(?:\w+:)?(\w+)[ />]", xml.split("<worksheet", 1)[1])
    top = [t for t in tags if t in ORDER]
    order = [ORDER.index(t) for t in dict.fromkeys(top)]
    assert order == sorted(order), top
    assert xml.rstrip().endswith("</extLst></worksheet>")


def test_freeze_panes_and_other_sheets_survive_openpyxl_reopen(book: Path) -> None:
    FileBook(book).apply([SetCells(s.CUSTOMERS, {(2, "B"): "Nytt navn AS"})])
    wb = openpyxl.load_workbook(book)
    assert wb["Kunder"].freeze_panes == "A2"
    assert wb["Kunder"]["B2"].value == "Nytt navn AS"
    assert wb["Kunder"]["A1"].font.b


def test_text_is_never_a_formula(book: Path) -> None:
    texts = ["=SUM(A1:A2)", "+47 22 33 44 55", "-5", "@user", '=HYPERLINK("x")']
    FileBook(book).apply(
        [SetCells(s.CUSTOMERS, {(2, "B"): texts[0]}), AppendRows(s.MAILINGS, [texts])]
    )
    assert "<f>" not in member(book, MAILINGS_PART)
    ws = openpyxl.load_workbook(book)["Utsendelser"]
    assert [c.value for c in ws[4][:5]] == texts
    assert all(c.data_type != "f" for c in ws[4][:5])


def test_clearing_a_formula_drops_the_calc_chain(tmp_path: Path) -> None:
    book = register(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Customers"]["C2"] = "=1+1"
    wb.save(book)
    calc = '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    with zipfile.ZipFile(book, "a") as z:
        z.writestr("xl/calcChain.xml", calc + '<c r="C2" i="1"/></calcChain>')
    rel = f'<Relationship Id="rId99" Type="{CALC_CHAIN}" Target="calcChain.xml"/>'
    patch_member(book, "xl/_rels/workbook.xml.rels", lambda x: x.replace("</Rel", rel + "</Rel"))
    FileBook(book).apply([ClearRows(s.CUSTOMERS, [2])])
    with zipfile.ZipFile(book) as z:
        assert "xl/calcChain.xml" not in z.namelist()
        assert "rId99" not in z.read("xl/_rels/workbook.xml.rels").decode()
    assert rows(book, "Customers")[1][2] == ""


def test_a_formula_is_never_overwritten(tmp_path: Path) -> None:
    book = register(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Customers"]["C2"] = "=1+1"
    wb.save(book)
    before = book.read_bytes()
    with pytest.raises(BookWriteError, match="row 2, column C: the cell holds a formula"):
        FileBook(book).apply([SetCells(s.CUSTOMERS, {(2, "C"): "974760673"})])
    assert book.read_bytes() == before


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (math.nan, "nan is not a number"),
        (math.inf, "inf is not a number"),
        ("x" * 32_768, "32,767"),
        (object(), "type object"),
    ],
)
def test_values_excel_cannot_hold_are_refused_with_their_cell(
    book: Path, value: object, words: str
) -> None:
    before = book.read_bytes()
    with pytest.raises(BookWriteError) as caught:
        FileBook(book).apply([AppendRows(s.MAILINGS, [[1, 2, value]])])
    message = str(caught.value)
    assert "crmbook.xlsx" in message and "Utsendelser" in message
    assert "rad 4" in message and "kolonne C" in message and words in message
    assert book.read_bytes() == before


def test_the_longest_text_excel_allows_is_written(book: Path) -> None:
    text = "ø" * 32_767
    FileBook(book).apply([SetCells(s.CUSTOMERS, {(2, "X"): text})])
    assert rows(book, "Kunder")[1][23] == text


def test_a_missing_sheet_is_named(tmp_path: Path) -> None:
    book = register(tmp_path / "b.xlsx")
    with pytest.raises(BookReadError, match="'Purchases' is missing"):
        FileBook(book).apply([AppendRows(s.PURCHASES, [[1]])])


def test_ensure_sheet_adds_a_sheet_in_the_workbooks_language(book: Path) -> None:
    before = raw_members(book)
    FileBook(book).apply(
        [
            EnsureSheet(s.REPORT, ["Nøkkeltall", "Verdi"]),
            ReplaceRows(s.REPORT, [["Kunder", 3]]),
            EnsureSheet(s.CUSTOMERS, ["ignored"]),
        ]
    )
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[-1] == "Rapport"
    assert [[c.value for c in r] for r in wb["Rapport"].iter_rows()] == [
        ["Nøkkeltall", "Verdi"],
        ["Kunder", 3],
    ]
    assert rows(book, "Rapport") == [["Nøkkeltall", "Verdi"], ["Kunder", 3.0]]
    after = raw_members(book)
    assert before["xl/worksheets/sheet1.xml"] == after["xl/worksheets/sheet1.xml"]
    assert "xl/worksheets/sheet5.xml" in after


def test_rows_an_edit_does_not_reach_keep_their_bytes(book: Path) -> None:
    before = member(book, "xl/worksheets/sheet1.xml")
    untouched = re.findall(r'<row r="[34]".*?</row>', before)
    FileBook(book).apply([SetCells(s.CUSTOMERS, {(2, "B"): "Nytt navn AS"})])
    after = member(book, "xl/worksheets/sheet1.xml")
    assert len(untouched) == 2 and all(row in after for row in untouched)
    assert "ns0" not in after and after.count("xmlns=") == 1


def test_clear_rows_blanks_every_column_and_keeps_formats_and_rows(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    wb["Utsendelser"]["N2"] = "Privat mobil 900 00 000"  # a column the user added
    wb["Utsendelser"]["N3"] = "stays"
    wb.save(book)
    FileBook(book).apply([ClearRows(s.MAILINGS, [2])])
    got = rows(book, "Utsendelser")
    assert all(v == "" for v in got[1]), got[1]
    assert got[2][:3] == [2.0, "Vår 2025", 2.0] and got[2][13] == "stays"
    ws = openpyxl.load_workbook(book)["Utsendelser"]
    assert ws["F2"].number_format == "dd.mm.yyyy" and ws["H2"].fill.fgColor.rgb == "FFFFFF00"
    assert 'ref="A1:J3"' in member(book, "xl/tables/table1.xml"), "the table keeps its rows"


def test_the_raw_layer_imports_nothing_above_it() -> None:
    import ast

    import crmbook.book.xlsx as raw

    for path in Path(raw.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crmbook"):
                below = ("crmbook.book.xlsx", "crmbook.zipraw")
                assert node.module.startswith(below), f"{path.name}: {node.module}"
