"""Marks written as patches to the rows they change: the same result as the ordinary edit, every
other row and part byte for byte as it was, a large sheet never held whole, and LibreOffice
still opens the file. Unusual sheets go the ordinary way."""

from __future__ import annotations

import csv
import re
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Border, Font, PatternFill, Side

from crmbook.book import layout
from crmbook.book.filebook import FileBook
from crmbook.book.xlsx import markpatch
from crmbook.book.xlsx.styles import MARK_COLOR
from crmbook.core import schema as s
from crmbook.core.edits import ClearMarks, Edit, MarkCells
from tests.office import CSV_ALL_SHEETS, convert, needs_office
from tests.writer.books import register

CUSTOMERS = 12
SHEET = "xl/worksheets/sheet1.xml"
ROWS = re.compile(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register whose cells carry formats of their own: numbers, bold, borders, user fills."""
    path = register(tmp_path_factory.mktemp("mp") / "crmbook.xlsx", "en", customers=CUSTOMERS)
    wb = openpyxl.load_workbook(path)
    ws = wb["Customers"]
    for row in range(2, CUSTOMERS + 2):
        ws.cell(row, 15, 1000 * row).number_format = "#,##0"
    ws["B3"].font = Font(bold=True)
    ws["C4"].border = Border(left=Side(style="thick"))
    ws["D5"].fill = PatternFill("solid", fgColor="FF00B050")
    ws["B6"].fill = PatternFill("solid", fgColor=MARK_COLOR)  # the user's own red
    wb.save(path)
    return path


def looks(path: Path) -> dict[str, tuple[object, ...]]:
    """Every Customers cell as a user sees it: value, number format, bold, border, fill."""
    ws = openpyxl.load_workbook(path)["Customers"]
    return {
        c.coordinate: (c.value, c.number_format, c.font.b, c.border.left.style,
                       c.fill.fill_type, c.fill.fgColor.rgb)
        for row in ws.iter_rows(min_row=1, max_row=CUSTOMERS + 1, max_col=24)
        for c in row
    }  # fmt: skip


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def rows_of(xml: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(0) for m in ROWS.finditer(xml)}


def expected_marks(steps: list[list[tuple[int, str]] | None]) -> set[str]:
    marks: set[str] = set()
    for step in steps:
        marks = set() if step is None else marks | {f"{col}{row}" for row, col in step}
    return marks


def as_edits(steps: list[list[tuple[int, str]] | None]) -> list[Edit]:
    return [ClearMarks(s.CUSTOMERS) if step is None else MarkCells(s.CUSTOMERS, step)
            for step in steps]  # fmt: skip


CELL = st.tuples(st.integers(2, CUSTOMERS + 1), st.sampled_from(["A", "B", "C", "D", "O", "X"]))
STEPS = st.lists(st.none() | st.lists(CELL, max_size=6), min_size=1, max_size=4)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=st.lists(CELL, max_size=5), steps=STEPS)
def test_patched_marks_are_exactly_the_ordinary_edit_and_touch_nothing_else(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before, steps
) -> None:
    start = tmp_path / "start.xlsx"
    shutil.copyfile(book, start)
    FileBook(start, keep_backups=0).apply([MarkCells(s.CUSTOMERS, before)] if before else [])
    quick, ordinary = tmp_path / "quick.xlsx", tmp_path / "ordinary.xlsx"
    for path in (quick, ordinary):
        shutil.copyfile(start, path)
    FileBook(quick, keep_backups=0).apply(as_edits(steps))
    with monkeypatch.context() as m:
        m.setattr(markpatch, "mark_patches", lambda *args: None)
        FileBook(ordinary, keep_backups=0).apply(as_edits(steps))

    seen, own = looks(quick), looks(book)
    marks = expected_marks([[(r, c) for r, c in before], *steps])
    assert seen == looks(ordinary)
    for ref, (value, fmt, bold, border, fill, color) in seen.items():
        if ref in marks:
            assert (fill, color) == ("solid", MARK_COLOR), ref
            assert (value, fmt, bold, border) == own[ref][:4], ref
        else:
            assert seen[ref] == own[ref], ref
    old, new = members(start), members(quick)
    assert {n: b for n, b in new.items() if n not in (SHEET, "xl/styles.xml")} == {
        n: b for n, b in old.items() if n not in (SHEET, "xl/styles.xml")
    }
    touched = {row for step in [before, *steps] if step for row, _ in step}
    old_rows, new_rows = rows_of(old[SHEET]), rows_of(new[SHEET])
    assert old_rows.keys() == new_rows.keys()
    for number, xml in old_rows.items():
        if number not in touched:
            assert new_rows[number] == xml, f"row {number} was rewritten"
    head = old[SHEET].index(b"<sheetData>")
    assert new[SHEET][:head] == old[SHEET][:head], "the markup before the rows is as it was"


def test_marking_a_large_sheet_never_holds_it_whole(tmp_path: Path) -> None:
    path = register(tmp_path / "big.xlsx", "en", customers=40_000)
    with zipfile.ZipFile(path) as z:
        size = z.getinfo(SHEET).file_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        FileBook(path, keep_backups=0).apply(
            [ClearMarks(s.CUSTOMERS), MarkCells(s.CUSTOMERS, [(30_001, "B"), (2, "C")])]
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12_000_000, f"peak {peak:,} bytes for a sheet of {size:,}"
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        cells = next(wb["Customers"].iter_rows(min_row=30_001, max_row=30_001, max_col=3))
        fills = {f"{c.column_letter}{c.row}": c.fill.fgColor.rgb for c in cells}
    finally:
        wb.close()
    assert fills["B30001"] == MARK_COLOR
    assert fills["A30001"] != MARK_COLOR


def sheet_xml(rows: bytes, dimension: str = "A1:Z9000", prefix: str = "") -> bytes:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    if prefix:
        ns = f'xmlns:{prefix[:-1]}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    p = prefix.encode()
    return (
        f'<{prefix}worksheet {ns}><{prefix}dimension ref="{dimension}"/>'.encode()
        + b"<" + p + b"sheetData>" + rows + b"</" + p + b"sheetData></" + p + b"worksheet>"
    )  # fmt: skip


def many_rows(n: int, prefix: str = "") -> bytes:
    p = prefix.encode()
    return b"".join(
        b'<%srow r="%d" spans="1:2"><%sc r="A%d"><%sv>%d</%sv></%sc></%srow>'
        % (p, i, p, i, p, i, p, p, p)
        if i % 7
        else b'<%srow r="%d"/>' % (p, i)
        for i in range(1, n + 1)
    )


def in_pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.fixture
def styles(book: Path):
    from crmbook.book.xlsx.package import Package
    from crmbook.book.xlsx.styles import Styles

    pkg = Package(book)
    yield Styles(pkg, "xl/styles.xml")
    pkg.close()


@pytest.mark.parametrize("prefix", ["", "x:"])
@pytest.mark.parametrize("size", [97, 4096, 1 << 20])
def test_rows_are_found_by_number_in_any_piece(styles, prefix: str, size: int) -> None:
    data = sheet_xml(many_rows(8000, prefix), prefix=prefix)
    wanted = [(2, 1), (3, 0), (1000, 0), (4901, 1), (7999, 0), (8000, 0)]
    patches = markpatch.mark_patches(in_pieces(data, size), [wanted], styles)
    assert patches is not None
    rows = {data[start:end] for start, end, _ in patches}
    for number, _ in wanted:
        assert any(r.startswith(b'<%srow r="%d"' % (prefix.encode(), number)) for r in rows)
    new = b"".join(markpatch.spliced(in_pieces(data, size + 13), patches))
    assert new.count(b' s="') == len(wanted)
    assert rows_of(new.replace(b"x:", b"")).keys() == rows_of(data.replace(b"x:", b"")).keys()


@pytest.mark.parametrize(
    "rows, cells",
    [
        (b'<row><c r="A1"/></row><row><c r="A2"/></row>', [(2, 0)]),  # rows without numbers
        (b'<row r="1"/><!-- a note --><row r="2"/>', [(2, 0)]),  # a comment among the rows
        (b'<row r="1"/><row r="3"/>', [(2, 0)]),  # the wanted row is not there
        (b'<row r="1"/><row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row>',
         [(2, 0)]),  # CDATA in a cell
    ],
)  # fmt: skip
def test_unusual_sheets_go_the_ordinary_way(styles, rows: bytes, cells) -> None:
    assert markpatch.mark_patches([sheet_xml(rows)], [cells], styles) is None


def test_a_sheet_whose_rows_never_end_goes_the_ordinary_way(styles) -> None:
    data = sheet_xml(many_rows(50))
    cut = data[: data.index(b"</sheetData>")]
    assert markpatch.mark_patches(in_pieces(cut, 100), [[(10, 0)]], styles) is None


@pytest.mark.parametrize("size", [7, 64, 1 << 20])
def test_exclamation_marks_in_text_are_no_markup(styles, size: int) -> None:
    cell = b'<c r="A%d" t="inlineStr"><is><t>Hei! &lt;!-- ikke en kommentar --&gt;!</t></is></c>'
    rows = b"".join(b'<row r="%d">%s</row>' % (i, cell % i) for i in range(1, 40))
    data = sheet_xml(b"!" + rows)  # one even before the first row
    patches = markpatch.mark_patches(in_pieces(data, size), [[(20, 0), (39, 0)]], styles)
    assert patches is not None and len(patches) == 2
    new = b"".join(markpatch.spliced(in_pieces(data, size), patches))
    assert new.count(b' s="') == 2 and new.count(b"!") == data.count(b"!")


def test_a_mark_outside_the_dimension_goes_the_ordinary_way(styles) -> None:
    data = sheet_xml(many_rows(50), dimension="A1:B50")
    assert markpatch.mark_patches([data], [[(10, 0)]], styles) is not None
    assert markpatch.mark_patches([data], [[(10, 5)]], styles) is None


@pytest.mark.libreoffice
@needs_office
def test_libreoffice_opens_a_book_with_patched_marks(book: Path, tmp_path: Path) -> None:
    path = tmp_path / "crmbook.xlsx"
    shutil.copyfile(book, path)
    FileBook(path, keep_backups=0).apply(
        [ClearMarks(s.CUSTOMERS), MarkCells(s.CUSTOMERS, [(2, "B"), (5, "D"), (13, "O")])]
    )
    out = convert([path], CSV_ALL_SHEETS, tmp_path / "csv", profile=tmp_path / "profile")
    name = layout.sheet_name(s.CUSTOMERS, "en")
    found = next(p for p in out if p.stem.endswith(name))
    with found.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if any(r)]
    assert rows[1][:2] == ["1", "Firma 1 AS"]
    assert len(rows) == CUSTOMERS + 1


def without_dimension(source: Path, target: Path) -> Path:
    """The book as openpyxl's write-only mode leaves a sheet: no <dimension> element."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == SHEET:
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            z.writestr(info, data)
    return target


@pytest.mark.parametrize("batch", [2, markpatch.BATCH])
def test_a_sheet_without_dimension_is_patched_a_batch_at_a_time_as_the_ordinary_edit(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    start = without_dimension(book, tmp_path / "start.xlsx")
    marks = [(row, "C") for row in range(2, CUSTOMERS + 2)] + [(5, "B"), (9, "X")]
    edits = [ClearMarks(s.CUSTOMERS), MarkCells(s.CUSTOMERS, marks)]
    quick, ordinary = tmp_path / "quick.xlsx", tmp_path / "ordinary.xlsx"
    for path in (quick, ordinary):
        shutil.copyfile(start, path)
    monkeypatch.setattr(markpatch, "BATCH", batch)
    patched = markpatch.mark_patches
    used: list[object] = []
    monkeypatch.setattr(markpatch, "mark_patches", lambda *a: used.append(patched(*a)) or used[-1])
    FileBook(quick, keep_backups=0).apply(edits)
    assert used and used[-1], "patched, not edited the ordinary way"
    monkeypatch.setattr(markpatch, "mark_patches", lambda *args: None)
    FileBook(ordinary, keep_backups=0).apply(edits)
    assert looks(quick) == looks(ordinary)
    new, old = members(quick)[SHEET], members(start)[SHEET]
    assert rows_of(new) == rows_of(members(ordinary)[SHEET])  # row for row, the same bytes
    assert (
        b"<dimension" not in new
        and new[: new.index(b"<sheetData>")] == old[: old.index(b"<sheetData>")]
    )
