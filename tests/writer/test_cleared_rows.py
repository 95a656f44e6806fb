"""Rows below a replaced range, cleared as text (``rowclear``), come out as the very bytes the
cell-by-cell path writes — kept formats, dropped cells and rows, removed links — whatever the old
rows held; rows it cannot read plainly are left to that path."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crmbook.book.filebook import BookWriteError, FileBook
from crmbook.book.xlsx import rowclear
from crmbook.book.xlsx.writer import SheetWriter
from crmbook.core import schema as s
from crmbook.core.edits import Link, ReplaceRows
from crmbook.zipraw import Member, ZipWriter, read_members
from tests.writer.books import register

PART = "xl/worksheets/sheet3.xml"  # Issues in tests.writer.books.register
CONTENT = st.sampled_from([
    "", "<v>5</v>", '<is><t>x &amp; y</t></is>', "<is><r><t>a</t></r><r><t>b</t></r></is>",
    "<f>1+1</f><v>2</v>", "<v/>",
])  # fmt: skip
CELL = st.tuples(
    st.sampled_from(["", ' s="0"', ' s="1"', ' s="2"', ' s="01"']),
    st.sampled_from(["", ' t="n"', ' t="inlineStr"', ' t="str"', ' cm="1"']),
    CONTENT,
    st.booleans(),  # self-closing when empty
)
ROW = st.tuples(
    st.sampled_from(["", ' spans="1:7"', ' ht="20" customHeight="1"', ' spans="1:3" s="1"']),
    st.lists(st.tuples(st.integers(0, 8), CELL), max_size=6),
    st.booleans(),  # cells in column order (else as drawn: repeats, disorder)
)


def _row(number: int, attrs: str, cells: list, ordered: bool) -> str:
    if ordered:
        cells = sorted({col: cell for col, cell in cells}.items())
    out = []
    for col, (style, kind, content, short) in cells:
        ref = f"{'ABCDEFGHI'[col]}{number}"
        out.append(f'<c r="{ref}"{style}{kind}/>' if short and not content else
                   f'<c r="{ref}"{style}{kind}>{content}</c>')  # fmt: skip
    body = "".join(out)
    return f'<row r="{number}"{attrs}>{body}</row>' if body else f'<row r="{number}"{attrs}/>'


def _book(path: Path, rows: list, links: list[int]) -> Path:
    """A register whose Issues sheet holds ``rows`` from row 2, and links at column B of the
    rows in ``links``."""
    register(path, "en", customers=2)
    members = read_members(path)
    old = next(m for m in members if m.name == PART).content().decode()
    data = "".join(_row(n, *row) for n, row in enumerate(rows, start=2))
    old = re.sub(r"(<sheetData>.*?)(</sheetData>)", lambda m: m.group(1) + data + m.group(2), old)
    if links:
        refs = "".join(f'<hyperlink ref="B{n}" location="\'Customers\'!A1" display="x"/>'
                       for n in links)  # fmt: skip
        old = old.replace("<pageMargins", f"<hyperlinks>{refs}</hyperlinks><pageMargins")
    with path.open("wb") as out:
        writer = ZipWriter(out)
        for m in members:
            writer.add(Member.deflated(PART, old.encode()) if m.name == PART else m)
        writer.close()
    return path


def _written(path: Path, new: list[list[object]], *, fast: bool) -> bytes | str:
    """The Issues sheet's bytes after the write, or the message that refused it."""
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(rowclear, "cleared", lambda number, raw: None)
        try:
            FileBook(path, keep_backups=0).apply([ReplaceRows(s.ISSUES, new)])
        except BookWriteError as exc:  # a formula where a new value goes: refused either way
            return str(exc).replace(path.name, "BOOK")
    with zipfile.ZipFile(path) as z:
        return z.read(PART)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(ROW, max_size=8),
    new=st.integers(0, 3),
    links=st.lists(st.integers(2, 10), max_size=4, unique=True),
)
@example(rows=[("", [(1, (' s="1"', "", "<v>7</v>", False))], True)] * 4, new=1, links=[3, 4])
def test_rows_cleared_as_text_are_the_rows_cleared_cell_by_cell(
    tmp_path_factory: pytest.TempPathFactory, rows: list, new: int, links: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("clear")
    values = [["Customers", Link(n + 2, f"'Customers'!A{n + 2}"), "A"] for n in range(new)]
    fast = _written(_book(folder / "fast.xlsx", rows, links), values, fast=True)
    slow = _written(_book(folder / "slow.xlsx", rows, links), values, fast=False)
    assert fast == slow


def test_twenty_thousand_issue_rows_are_cleared_as_text(tmp_path: Path) -> None:
    """The shape crmbook writes (a link in column B with its format) takes the text path."""
    rows = [("", [(0, ("", ' t="inlineStr"', "<is><t>Kunder</t></is>", False)),
                  (1, (' s="1"', "", "<v>5</v>", False))], True)] * 20_000  # fmt: skip
    path = _book(tmp_path / "book.xlsx", rows, [])
    calls = {"ordinary": 0}
    clear_row = __import__(
        "crmbook.book.xlsx.writer", fromlist=["SheetWriter"]
    ).SheetWriter.clear_row

    def counted(self, row: int, keep: int = 0) -> None:
        calls["ordinary"] += row > 2
        clear_row(self, row, keep)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SheetWriter, "clear_row", counted)
        FileBook(path, keep_backups=0).apply([ReplaceRows(s.ISSUES, [["x"]])])
    assert calls["ordinary"] == 0
    with zipfile.ZipFile(path) as z:
        xml = z.read(PART)
    assert xml.count(b'<c r="B20001" s="1"/>') == 1 and b"Kunder" not in xml


@pytest.mark.parametrize(
    "raw",
    [
        b'<row r="5"><c r="A5"><f>1+1</f><v>2</v></c></row>',  # a formula: calcChain must go
        b'<row r="5"><c r="A5" cm="1"><v>2</v></c></row>',  # another attribute
        b'<row r="6"><c r="A5"><v>2</v></c></row>',  # not the row asked about
        b'<row spans="1:2" r="5"/>',  # lxml would not write it so
        b'<row r="5"> <c r="A5"><v>2</v></c></row>',  # text between cells
    ],
)
def test_rows_that_are_not_plain_are_left_to_the_ordinary_path(raw: bytes) -> None:
    assert rowclear.cleared(5, raw) is None


def test_a_row_with_its_own_formatting_stays_when_its_cells_go() -> None:
    raw = b'<row r="5" x14ac:dyDescent="0.25"><c r="A5"><v>2</v></c><c r="B5"/></row>'
    assert rowclear.cleared(5, raw) == rowclear.Cleared(b'<row r="5" x14ac:dyDescent="0.25"/>',
                                                       [0, 1], [])  # fmt: skip
