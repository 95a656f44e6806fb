"""`crmbook validate` on real workbooks made by `crmbook new`: the user's whole story."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from click.testing import CliRunner

from crmbook.book import layout
from crmbook.book.reader import read_register
from crmbook.book.xlsx.styles import MARK_COLOR
from crmbook.cli import main
from crmbook.core import demo
from crmbook.core import schema as s

DEMO = 40


def crmbook(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture(params=["nb", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def book(tmp_path: Path, lang: str) -> Path:
    path = tmp_path / "register.xlsx"
    code, out = crmbook("new", path, "--lang", lang, "--demo", DEMO, "--seed", 3)
    assert code == 0, out
    return path


def planted(lang: str) -> set[tuple[str, int, str]]:
    mistakes = demo.generate(DEMO, seed=3, lang=lang).mistakes
    return {(layout.sheet_name(m.sheet, lang), m.row, m.field) for m in mistakes}


def issues_sheet(path: Path, lang: str) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(layout.sheet_name(s.ISSUES, lang)).to_python()


def test_validate_finds_exactly_the_planted_mistakes(book: Path, lang: str) -> None:
    code, out = crmbook("validate", book, "--json", "--no-write")
    data = json.loads(out)
    assert code == 1
    assert {(i["sheet"], i["row"], i["field"]) for i in data["issues"]} == planted(lang)
    assert data["errors"] == len(planted(lang)) and data["warnings"] == 0


def test_no_write_leaves_the_file_byte_identical(book: Path) -> None:
    before = book.read_bytes()
    crmbook("validate", book, "--no-write")
    assert book.read_bytes() == before


def test_issues_sheet_links_and_marks_are_written(book: Path, lang: str) -> None:
    code, out = crmbook("validate", book)
    assert code == 1
    nb, en = "7 feil og 0 advarsler i 7 rader.", "7 errors and 0 warnings in 7 rows."
    assert (nb if lang == "nb" else en) in out
    rows = issues_sheet(book, lang)
    assert rows[0] == layout.headers(s.ISSUES, lang)
    assert len({(r[0], int(r[1]), r[2]) for r in rows[1:]}) == 7
    wb = openpyxl.load_workbook(book)
    issues = wb[layout.sheet_name(s.ISSUES, lang)]
    link = issues["B2"].hyperlink
    sheet, row, column = rows[1][0], rows[1][1], rows[1][2]
    assert isinstance(row, float), "the Row column holds numbers, not text"
    row = int(row)
    assert link is not None and link.location == f"'{sheet}'!{column}{row}"
    assert wb[sheet][f"{column}{row}"].fill.fgColor.rgb == MARK_COLOR


def test_fix_then_validate_leaves_only_what_needs_a_person(book: Path, lang: str) -> None:
    assert crmbook("validate", book, "--fix")[0] == 1  # 6 mistakes need a person
    fixed = [r for r in issues_sheet(book, lang)[1:] if r[5] in ("Rettet", "Fixed")]
    assert len(fixed) == 1 and fixed[0][3] == layout.header(s.CUSTOMERS, "Postal code", lang)
    _code, out = crmbook("validate", book, "--json", "--no-write")
    left = {(i["row"], i["field"]) for i in json.loads(out)["issues"]}
    assert len(left) == 6 and "Postal code" not in {f for _, f in left}
    customers = read_register(book).frame(s.CUSTOMERS)
    assert "0150" in set(customers["Postal code"])


def sheet_parts(path: Path) -> dict[str, str]:
    """Visible sheet name -> its worksheet part in the zip."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets |= {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
    sheets = re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook)
    return {name: "xl/" + targets[rid].removeprefix("/xl/") for name, rid in sheets}


def test_other_sheets_values_unchanged_and_untouched_parts_identical(book: Path, lang: str) -> None:
    def values(path: Path) -> dict[str, list[list[object]]]:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        skip = layout.sheet_name(s.ISSUES, lang)
        return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names if n != skip}

    def members(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist()}

    before_values, before = values(book), members(book)
    assert crmbook("validate", book)[0] == 1
    after = members(book)
    assert values(book) == before_values
    parts = sheet_parts(book)
    written = {parts[layout.sheet_name(k, lang)] for k in (*s.DATA_SHEETS, s.ISSUES)}
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed - written - {"xl/styles.xml"} <= {
        n for n in changed if n.startswith("xl/tables/")
    }
    assert set(after) == set(before)


def test_empty_register_and_a_clean_run(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "empty.xlsx"
    crmbook("new", path, "--lang", lang)
    code, out = crmbook("validate", path)
    assert code == 0
    assert ("Ingen feil eller advarsler." if lang == "nb" else "No errors or warnings.") in out
    assert issues_sheet(path, lang)[1:] in ([], [[""] * 7])


def test_unreadable_input_is_exit_code_2(tmp_path: Path) -> None:
    code, _out = crmbook("validate", tmp_path / "missing.xlsx")
    assert code == 2


def test_no_write_says_what_would_be_fixed_and_json_keeps_fixes_apart(
    tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "register.xlsx"
    crmbook("new", path, "--lang", lang)
    wb = openpyxl.load_workbook(path)
    customers = wb[layout.sheet_name(s.CUSTOMERS, lang)]
    for column, value in (("B", "A AS"), ("C", 974760673)):  # no Customer ID in A2
        customers[f"{column}2"] = value
    wb.save(path)
    before = path.read_bytes()
    _code, out = crmbook("validate", path, "--no-write", "--fix")
    assert path.read_bytes() == before
    if lang == "nb":
        assert "Rettes    Kundenr: Kundenr er tomt: kunden ville fått nummer 1." in out
        assert "2 celler ville blitt rettet (kjør uten --no-write)." in out
    else:
        assert "To fix    Customer ID: Customer ID is blank: crmbook would give the" in out
        assert "2 cells would be fixed (run without --no-write)." in out
    data = json.loads(crmbook("validate", path, "--json", "--no-write", "--fix")[1])
    assert {i["severity"] for i in data["issues"]} == {"Error"}  # the address is missing
    assert [(i["field"], i["severity"]) for i in data["fixed"]] == [
        ("Customer ID", "Fixed"),
        ("Org number", "Fixed"),
    ]
