"""Plain rows written as XML text a column at a time, over existing rows or where none were.

Writing the 14,000 Recipients rows of a 100,000-customer register cell by cell (encode, format,
reference, an lxml element) costs seconds. Most columns repeat a few values (cities, blanks), so
each column's distinct values are encoded once and its cells share one column letter. An existing
row is rebuilt from its raw bytes, its cells' formats kept, and replaces the old row whole. The
cells (values, types, formats) are those the cell-by-cell path gives; anything unusual — a
formula, a cell attribute other than r/s/t, a row an edit already parsed, a value that is not
plain or cannot be stored — gives None, and the caller writes cell by cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crmbook.book.xlsx.cells import CellValueError, Kind, encode
from crmbook.book.xlsx.sheet import Worksheet, cell_ref
from crmbook.book.xlsx.xmltext import escape

HEADER_ROW = 1
#: The types a cell value has on this path (bool is an int; numpy and Decimal are not here).
_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_TEXT_ENTITIES = {"\r": "&#13;"}
_ANY_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_PLAIN_CELL = re.compile(rb'<(?:[\w.-]+:)?c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="\w+")?\s*/?>')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")
_SPANS = re.compile(rb'\sspans="[^"]*"')
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')

ForValue = Callable[[int, Kind], int]


@dataclass(frozen=True)
class BuiltRow:
    """A row's new XML; ``existed``: it replaces a row of the sheet. ``columns``: its cells."""

    number: int
    xml: bytes
    columns: list[int]
    existed: bool


@dataclass(frozen=True)
class _OldRow:
    tag: bytes  # the opening tag without its '>' (row attributes kept)
    styles: dict[int, int]  # column -> format of each cell it had


def build(
    sheet: Worksheet,
    for_value: ForValue,
    first_row: int,
    rows: Sequence[Sequence[object]],
    *,
    date1904: bool,
) -> list[BuiltRow] | None:
    """The rows from ``first_row`` down as XML (old cells right of a row's values kept blank,
    with their formats), or None when they need the cell-by-cell path."""
    if any(v.__class__ not in _PLAIN for r in rows for v in r):
        return None
    olds: list[_OldRow | None] = []
    for number in range(first_row, first_row + len(rows)):
        old = _old_row(sheet, number) if sheet.has_row(number) else None
        if sheet.has_row(number) and old is None:
            return None
        olds.append(old)
    width = max([0] + [len(r) for r in rows] + [max(o.styles, default=-1) + 1 for o in olds if o])
    columns = []
    for col in range(width):
        cells = _column(sheet, for_value, first_row, rows, olds, col, date1904)
        if cells is None:
            return None
        columns.append(cells)
    return _rows(sheet.row_prefix, first_row, olds, columns)


def _column(
    sheet: Worksheet,
    for_value: ForValue,
    first_row: int,
    rows: Sequence[Sequence[object]],
    olds: list[_OldRow | None],
    col: int,
    date1904: bool,
) -> list[str | None] | None:
    """One column's cells (None where a row has none), formats inherited down the column as
    ``SheetWriter.write_cell`` inherits them."""
    prefix, letter = sheet.row_prefix, cell_ref(1, col)[:-1]
    column_style = sheet.column_style(col)
    above = sheet.style(first_row - 1, col) if first_row - 1 > HEADER_ROW else None
    encoded: dict[tuple[type, object], tuple[Kind, str, str]] = {}
    cells: list[str | None] = []
    formats: dict[tuple[int, str], int] = {}
    for number, values, old in zip(
        range(first_row, first_row + len(rows)), rows, olds, strict=True
    ):
        own = old.styles.get(col) if old else None
        if col < len(values):
            value = values[col]
            key = (value.__class__, value)
            if key not in encoded:
                try:
                    kind, tail = _encoded(value, prefix, date1904)
                    encoded[key] = kind, kind.value, tail
                except CellValueError:
                    return None
            kind, name, tail = encoded[key]
            base = own if own is not None else above if above is not None else column_style
            if (base, name) not in formats:  # a local cache: hashing a Kind is slow
                formats[base, name] = for_value(base, kind)
            style = formats[base, name]
            present = bool(style) or kind is not Kind.BLANK  # as ``Worksheet.put`` keeps cells
        else:  # right of the values: an old cell stays, blank, if it has a format
            style, tail, present = own or 0, "/>", bool(own)
        if present:
            head = f'<{prefix}c r="{letter}{number}"'
            cells.append(head + (f' s="{style}"' if style else "") + tail)
        else:
            cells.append(None)
        above = style if present else None
    return cells


def _encoded(value: object, p: str, date1904: bool) -> tuple[Kind, str]:
    """A value's kind and the end of its ``<c>`` after the format: '/>' or ' t=…><v>…</c>'."""
    cell = encode(value, date1904=date1904)
    if cell.kind is Kind.BLANK:
        return cell.kind, "/>"
    if cell.kind is Kind.TEXT:
        text = cell.text
        space = (
            ' xml:space="preserve"' if text != text.strip() or "\n" in text or "\t" in text else ""
        )
        text = escape(text, _TEXT_ENTITIES)
        return cell.kind, f' t="inlineStr"><{p}is><{p}t{space}>{text}</{p}t></{p}is></{p}c>'
    kind = ' t="b"' if cell.kind is Kind.BOOL else ""
    return cell.kind, f"{kind}><{p}v>{cell.text}</{p}v></{p}c>"


def _rows(
    prefix: str, first_row: int, olds: list[_OldRow | None], columns: list[list[str | None]]
) -> list[BuiltRow]:
    """Whole rows from the columns' cells; a new row without cells is not written."""
    out = []
    for index, old in enumerate(olds):
        number = first_row + index
        used = [col for col, cells in enumerate(columns) if cells[index] is not None]
        body = "".join(columns[col][index] for col in used)  # type: ignore[misc]
        xml = body.encode("ascii", "xmlcharrefreplace") + f"</{prefix}row>".encode()
        if old is None:
            if used:
                out.append(
                    BuiltRow(number, f'<{prefix}row r="{number}">'.encode() + xml, used, False)
                )
            continue
        tag = old.tag if set(used) <= set(old.styles) else _SPANS.sub(b"", old.tag)
        out.append(BuiltRow(number, tag + b">" + xml, used, True))
    return out


def _old_row(sheet: Worksheet, number: int) -> _OldRow | None:
    """The row's tag and its cells' formats from its raw bytes; None if it has a formula, a cell
    attribute other than r, s and t (in that order, as Excel and crmbook write them), or was
    already parsed."""
    raw = sheet.raw_row(number)
    if raw is None or _FORMULA.search(raw):
        return None
    end = raw.index(b">")
    tag = raw[: end - 1] if raw[end - 1 : end] == b"/" else raw[:end]
    found = _ROW_NUMBER.search(tag)
    if found is None or int(found.group(1)) != number:
        return None
    cells = _PLAIN_CELL.findall(raw, end)
    if len(cells) != len(_ANY_CELL.findall(raw, end)):
        return None
    return _OldRow(tag, {_column_index(letters): int(s or 0) for letters, s in cells})


@functools.cache
def _column_index(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1
