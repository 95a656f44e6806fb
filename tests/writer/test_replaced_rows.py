"""Rows replaced as XML text a column at a time (``rowbatch``) hold the very cells — values,
types, formats — the cell-by-cell path gives, over whatever rows the sheet had."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font, PatternFill

from crmbook.book.filebook import BookWriteError, FileBook
from crmbook.book.xlsx import rowbatch
from crmbook.core import schema as s
from crmbook.core.edits import ReplaceRows
from tests.office import CSV_ALL_SHEETS, convert, needs_office
from tests.writer.books import register

TEXT = st.text(alphabet="aZæøåÆØÅ&<>\"'=_x0 \n\t\r–😀", max_size=8)
VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.dates(dt.date(1900, 3, 1), dt.date(2200, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2200, 1, 1)),
    TEXT,
    st.sampled_from(["=SUM(A1:A2)", " lead", "trail ", "", "_x000D_", "Tromsø"]),
)
ROWS = st.lists(st.lists(VALUE, max_size=7), max_size=8)
#: Formats a user gave some old cells: a fill, a number format, a date format, bold.
FORMATS = st.sampled_from([None, "fill", "0.00", "dd.mm.yyyy", "bold"])
OLD_TEXT = st.text(alphabet="aæøÅ&<> _x0\n", max_size=6)  # '=' would make openpyxl write a formula
OLD_CELL = st.tuples(st.integers(0, 7), st.one_of(st.none(), st.integers(0, 99), OLD_TEXT), FORMATS)


def _book(path: Path, old: list[list[tuple[int, object, str | None]]], formula: bool) -> Path:
    register(path, "en", customers=2)
    wb = openpyxl.load_workbook(path)
    ws = wb["Issues"]
    ws.column_dimensions["C"].number_format = "@"
    for number, cells in enumerate(old, start=2):
        for col, value, fmt in cells:
            cell = ws.cell(number, col + 1, value)
            if fmt == "fill":
                cell.fill = PatternFill("solid", fgColor="FF00B050")
            elif fmt == "bold":
                cell.font = Font(bold=True)
            elif fmt:
                cell.number_format = fmt
    if formula and old:
        ws.cell(2 + len(old) // 2, 2, "=1+1")
    wb.save(path)
    return path


def _cells(path: Path) -> dict[tuple[int, int], tuple[object, ...]]:
    ws = openpyxl.load_workbook(path)["Issues"]
    return {
        key: (c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.font.b)
        for key, c in ws._cells.items()
    }


def _write(path: Path, first_row: int, rows: list[list[object]], *, fast: bool) -> bool:
    """Apply the replacement (``fast`` off: the text path declines); whether it wrote the rows."""
    built: list[bool] = []
    build = rowbatch.build

    def spy(*args: object, **kwargs: object) -> list[rowbatch.BuiltRow] | None:
        result = build(*args, **kwargs) if fast else None  # type: ignore[arg-type]
        built.append(result is not None)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rowbatch, "build", spy)
        FileBook(path).apply([ReplaceRows(s.ISSUES, rows, first_row=first_row)])
    return bool(built) and all(built)


def _outcome(path: Path, first_row: int, rows: list[list[object]], *, fast: bool) -> object:
    """The cells written, or the message that said why nothing was."""
    try:
        took = _write(path, first_row, rows, fast=fast)
    except BookWriteError as exc:
        return str(exc).replace(path.name, "BOOK")
    return took, _cells(path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    old=st.lists(st.lists(OLD_CELL, max_size=6), max_size=6),
    rows=ROWS,
    offset=st.integers(0, 7),
    formula=st.booleans(),
)
def test_replaced_rows_as_text_hold_the_cell_by_cell_cells(
    tmp_path_factory: pytest.TempPathFactory,
    old: list[list[tuple[int, object, str | None]]],
    rows: list[list[object]],
    offset: int,
    formula: bool,
) -> None:
    folder = tmp_path_factory.mktemp("rows")
    first_row = 2 + offset
    fast = _book(folder / "fast.xlsx", old, formula)
    slow = _book(folder / "slow.xlsx", old, formula)
    ours, general = (
        _outcome(fast, first_row, rows, fast=True),
        _outcome(slow, first_row, rows, fast=False),
    )
    formula_row = 2 + len(old) // 2
    among = formula and bool(old) and first_row <= formula_row < first_row + len(rows)
    if isinstance(ours, tuple) and isinstance(general, tuple):
        assert ours[0] is not among  # a formula among the rows leaves them to the general path
        assert ours[1] == general[1]
    else:
        assert ours == general


def test_select_then_letters_rows_are_text_not_elements(tmp_path: Path) -> None:
    """The second write of Recipients (letters after select) replaces the rows as text."""
    path = _book(tmp_path / "crmbook.xlsx", [], False)
    first = [[i, f"Firma {i} & Co", dt.date(2026, 1, i % 28 + 1), None] for i in range(1, 40)]
    assert _write(path, 2, first, fast=True)
    second = [[*row[:3], f"brev-{row[0]}.docx"] for row in first[:30]]
    assert _write(path, 2, second, fast=True)
    cells = _cells(path)
    assert cells[(2, 4)][0] == "brev-1.docx" and (35, 1) not in cells
    assert cells[(3, 3)][2] != "General"  # a date keeps a date format


@needs_office
def test_libreoffice_opens_rows_replaced_as_text(tmp_path: Path) -> None:
    old = [[(0, 5, "fill"), (1, "gammel", "bold"), (6, 1.5, "0.00")]] * 5
    path = _book(tmp_path / "crmbook.xlsx", old, False)
    rows = [[1, "Ærlig & <Øst>", dt.date(2026, 3, 1), " =lead", True], [], [2.5, None, "x"]]
    assert _write(path, 3, rows, fast=True)
    out = convert([path], CSV_ALL_SHEETS, tmp_path / "csv", profile=tmp_path / "profile")
    issues = next(p for p in out if p.name.endswith("-Issues.csv"))
    lines = list(csv.reader(issues.read_text(encoding="utf-8").splitlines()))
    assert lines[2][:2] == ["1", "Ærlig & <Øst>"] and lines[2][3:5] == [" =lead", "TRUE"]
    assert lines[1][1] == "gammel" and lines[3][:2] == ["", ""] and lines[4][0] == "2.5"
