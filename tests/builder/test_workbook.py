"""A new register, reopened with openpyxl and with crmbook's own reader, is what SPEC §1 says."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from stdnum.no import orgnr

from crmbook.book import builder, layout
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.errors import BookLockedError, RefusedError, UsageError

from .conftest import DEMO_N

LANGS = ("nb", "en")
TABLED = (s.CUSTOMERS, s.PURCHASES, s.MAILINGS, s.SELECTIONS, s.RECIPIENTS, s.ISSUES)


def _sheet(wb: openpyxl.Workbook, sheet: str, lang: str) -> Worksheet:
    return wb[layout.sheet_name(sheet, lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_sheets_headers_and_tables(books: dict[str, Path], lang: str) -> None:
    wb = openpyxl.load_workbook(books[lang])
    assert wb.sheetnames == [layout.sheet_name(sheet, lang) for sheet in builder.SHEET_ORDER]
    for sheet in TABLED:
        ws = _sheet(wb, sheet, lang)
        header = [c.value for c in ws[1]]
        assert header == layout.headers(sheet, lang)
        assert all(c.font.bold and c.fill.fgColor.rgb.endswith("1F4E78") for c in ws[1])
        assert ws.freeze_panes == "A2"
        (table,) = ws.tables.values()
        assert table.displayName == f"tbl{sheet}"
        assert table.ref.startswith(f"A1:{layout.column_letter(len(header) - 1)}")
    assert wb.properties.created == builder.FIXED_TIME
    assert wb.properties.modified == builder.FIXED_TIME


@pytest.mark.parametrize("lang", LANGS)
def test_dropdowns_are_classic_validations_fed_by_named_lists(
    books: dict[str, Path], lang: str
) -> None:
    wb = openpyxl.load_workbook(books[lang])
    lists = _sheet(wb, s.LISTS, lang)
    for key, (title, values) in builder.list_columns(lang).items():
        name = layout.range_name(key)
        sheet_name, ref = next(iter(wb.defined_names[name].destinations))
        assert sheet_name == lists.title
        cells = [c.value for (c,) in lists[ref.replace("$", "")]]
        assert cells == values
        column = ref.split("$")[1]
        assert lists[f"{column}1"].value == title
    for sheet in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS):
        ws = _sheet(wb, sheet, lang)
        found = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
        for i, f in enumerate(s.SHEET_FIELDS[sheet]):
            if f.list_name:
                letter = layout.column_letter(i)
                assert found[f"{letter}2:{letter}5000"] == layout.range_name(f.list_name)
    selections = _sheet(wb, s.SELECTIONS, lang).data_validations.dataValidation
    assert {dv.formula1 for dv in selections} == {"list_field", "list_operator"}
    assert b"x14:dataValidation" not in zipfile.ZipFile(books[lang]).read(
        "xl/worksheets/sheet2.xml"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_formats_keep_leading_zeros_and_show_kroner_and_dates(
    books: dict[str, Path], lang: str
) -> None:
    wb = openpyxl.load_workbook(books[f"demo-{lang}"])
    customers = _sheet(wb, s.CUSTOMERS, lang)
    by_field = {f.name: layout.column_letter(i) for i, f in enumerate(s.SHEET_FIELDS[s.CUSTOMERS])}
    for name in ("Postal code", "Org number", "Phone"):
        assert customers.column_dimensions[by_field[name]].number_format == "@"
        assert customers[f"{by_field[name]}2"].number_format == "@"
    nok = customers.column_dimensions[by_field["Turnover (NOK)"]].number_format
    assert "#,##0" in nok and ("kr" in nok or "NOK" in nok)
    date_format = _sheet(wb, s.PURCHASES, lang)["B2"].number_format
    assert date_format == ("dd.mm.yyyy" if lang == "nb" else "yyyy-mm-dd")
    assert all(customers.column_dimensions[c].width >= 10 for c in by_field.values())


@pytest.mark.parametrize("lang", LANGS)
def test_settings_hold_a_sample_sender_and_relative_folders(
    books: dict[str, Path], lang: str
) -> None:
    settings = read_register(books[lang]).settings
    assert list(settings) == list(s.SETTING_NAMES)
    assert orgnr.is_valid(str(settings["Sender org number"]))
    assert settings["Sender postal code"] == "5013"
    assert settings["Template folder"] == "letter_templates"
    assert settings["Output folder"] == "letters"
    assert settings["Language"] == lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_workbook_has_the_example_selection(books: dict[str, Path], lang: str) -> None:
    frame = read_register(books[lang]).frame(s.SELECTIONS)
    rows = [tuple(r) for r in frame[["Selection", "Group", "Field", "Operator", "Value"]].values]
    name = "Konferansetilbud" if lang == "nb" else "Conference offer"
    employees, remark, bought = (
        ("Ansatte", "Merknad", "Kjøpt produkt")
        if lang == "nb"
        else ("Employees", "Remark", "Purchased product")
    )
    conference, bad = (
        ("Konferanse", "Dårlig betaler") if lang == "nb" else ("Conference", "Bad payer")
    )
    assert rows == [
        (name, 1.0, employees, ">", 100.0),
        (name, 1.0, bought, "=", conference),
        (name, 1.0, remark, "<>", bad),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_reader_reads_every_sheet_back(books: dict[str, Path], lang: str) -> None:
    empty = read_register(books[lang], sheets=(*s.DATA_SHEETS, s.RECIPIENTS, s.ISSUES))
    assert empty.lang == lang
    assert all(empty.frame(sheet).empty for sheet in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS))
    assert empty.lists == {k: layout.list_values(k, lang) for k in s.LISTS_EN}
    demo = read_register(books[f"demo-{lang}"])
    customers = demo.frame(s.CUSTOMERS)
    assert len(customers) == DEMO_N
    assert list(customers.index[:2]) == [2, 3]
    assert set(customers["Status"]) <= set(layout.list_values("status", lang))
    assert not demo.frame(s.PURCHASES).empty and not demo.frame(s.MAILINGS).empty
    postal = [p for p in customers["Postal code"] if isinstance(p, str)]
    assert any(p.startswith("0") and len(p) == 4 for p in postal)


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    first = builder.create(tmp_path / "a.xlsx", demo=15, seed=3)
    second = builder.create(tmp_path / "b.xlsx", demo=15, seed=3)
    assert first.read_bytes() == second.read_bytes()


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    book = tmp_path / "deep" / "er" / "register.xlsx"
    builder.create(book, lang="en")
    book.write_bytes(b"someone's data")
    with pytest.raises(RefusedError, match="--force"):
        builder.create(book, lang="en")
    assert book.read_bytes() == b"someone's data"
    builder.create(book, lang="en", force=True)
    assert zipfile.is_zipfile(book)
    assert not list(book.parent.glob(".*")), "a temporary file was left behind"


def test_no_macros_and_no_absolute_paths(books: dict[str, Path]) -> None:
    for path in books.values():
        with zipfile.ZipFile(path) as archive:
            assert not [n for n in archive.namelist() if "vba" in n.lower()]
            for name in archive.namelist():
                text = archive.read(name)
                assert str(path.parent).encode() not in text, name
                assert b"file:///" not in text and b":\\" not in text, name


def test_templates_land_where_the_template_folder_setting_points(tmp_path: Path) -> None:
    book = builder.create(tmp_path / "register.xlsx")
    folder = tmp_path / str(read_register(book).settings["Template folder"])
    assert sorted(p.suffix for p in folder.iterdir()) >= [".docx", ".docx"]
    assert not list(folder.glob("*.py"))
    mine = next(folder.glob("*.docx"))
    mine.write_bytes(b"my own template")
    builder.create(book, force=True)
    assert mine.read_bytes() == b"my own template"


def test_shipped_registers_get_no_template_copies(tmp_path: Path) -> None:
    builder.build_shipped(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, *_ in builder.SHIPPED)


def test_refuses_a_workbook_open_in_excel_even_with_force(tmp_path: Path) -> None:
    book = builder.create(tmp_path / "register.xlsx", lang="en")
    before = book.read_bytes()
    (tmp_path / "~$register.xlsx").write_bytes(b"")
    with pytest.raises(BookLockedError):
        builder.create(book, lang="en", demo=12, force=True)
    assert book.read_bytes() == before


def test_refuses_a_name_that_is_not_xlsx(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.xlsx"):
        builder.create(tmp_path / "register.xlsm")
