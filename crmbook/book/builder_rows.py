"""The records of a new register written as sheet XML rows, the way openpyxl writes those cells.

openpyxl makes a ``Cell`` object per value and sets its style one attribute at a time: a
100,000-customer demo (about 3.5 million cells) took 90 s to build. The builder lets openpyxl
make everything else (header, styles, table, dropdowns, widths) and leaves the records out;
``save`` streams these rows into the sheet's part as it goes into the zip. Each cell gets
exactly what openpyxl would give it: its type and style are taken from one openpyxl cell per
column and kind of value (so number formats, quote prefixes and dates stay as the slow path made
them), its text is written as openpyxl writes it (inline strings, ``%.16g`` numbers, dates as
serial numbers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from openpyxl.cell import Cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet

from crmbook.book import layout
from crmbook.core import schema as s

#: Rows joined into one chunk before it goes to the zip (bounded memory, few write calls).
CHUNK_ROWS = 2000
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_SHEET_DATA_END = b"</sheetData>"
_ERRORS = frozenset(ERROR_CODES)
MAX_TEXT = 32767  # characters in a cell; openpyxl cuts longer text here

#: How a cell is written: (XML before the value, XML after it, turn the value into text).
Writer = tuple[str, str, Callable[[object], str]]


def style_cell(cell: Cell, number_format: str | None) -> None:
    """What the builder does to a cell after setting its value: text beginning with '=' stays
    text (never a formula), and the column's number format."""
    if cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format


def cell_value(f: s.Field, value: object, lang: str) -> object:
    """A record's value as written: list values in the workbook's language."""
    if f.kind is s.Kind.LIST and isinstance(value, str):
        return layout.value(value, lang)
    return value


@dataclass
class SheetRows:
    """The records of one data sheet, from row 2, waiting to be written into its part."""

    ws: Worksheet
    fields: Sequence[s.Field]
    formats: Sequence[str | None]
    records: Sequence[Mapping[str, object]]
    lang: str
    _writers: dict[tuple[int, type, str], Writer] = field(default_factory=dict)

    def splice(self, part: bytes) -> Iterator[bytes]:
        """The sheet part openpyxl wrote (header row only) with the records in its sheetData
        and its dimension covering them."""
        last = len(self.records) + 1
        ref = f'<dimension ref="A1:{layout.column_letter(len(self.fields) - 1)}{last}"/>'
        if self.records:
            part = _DIMENSION.sub(ref.encode(), part, count=1)
        head, tail = part.split(_SHEET_DATA_END, 1)
        yield head
        yield from self._chunks()
        yield _SHEET_DATA_END + tail

    def _chunks(self) -> Iterator[bytes]:
        lines: list[str] = []
        for row, record in enumerate(self.records, start=2):
            lines.append(self._row(row, record))
            if len(lines) == CHUNK_ROWS:
                yield "".join(lines).encode("ascii", "xmlcharrefreplace")
                lines.clear()
        if lines:
            yield "".join(lines).encode("ascii", "xmlcharrefreplace")

    def _row(self, row: int, record: Mapping[str, object]) -> str:
        cells = []
        for col, name, letter, listed in self._columns:
            value = record.get(name)
            if value is None:  # blank fields get no cell, as in the slow path
                continue
            if listed and isinstance(value, str):
                value = layout.value(value, self.lang)
            kind = _string_kind(value) if value.__class__ is str else ""
            key = (col, value.__class__, kind)
            writer = self._writers.get(key)
            if writer is None:
                writer = self._writers[key] = self._learn(col, value)
            cells.append(f'<c r="{letter}{row}"{writer[0]}{writer[2](value)}{writer[1]}')
        return f'<row r="{row}">{"".join(cells)}</row>'

    @cached_property
    def _columns(self) -> list[tuple[int, str, str, bool]]:
        """Per column: index, field name, letter, and whether it holds list values."""
        return [
            (col, f.name, layout.column_letter(col), f.kind is s.Kind.LIST)
            for col, f in enumerate(self.fields)
        ]

    def _learn(self, col: int, value: object) -> Writer:
        probe = Cell(self.ws, row=2, column=col + 1, value=value)
        style_cell(probe, self.formats[col])
        style = f' s="{probe.style_id}"' if probe.has_style else ""
        kind = probe.data_type
        if value == "":
            return f'{style} t="inlineStr"/>', "", lambda _: ""
        if kind == "s":
            return f'{style} t="inlineStr"><is>', "</is></c>", self._string
        if kind == "d":
            epoch = self.ws.parent.epoch
            return f'{style} t="n"><v>', "</v></c>", lambda v: safe_string(to_excel(v, epoch))
        return f'{style} t="{kind}"><v>', "</v></c>", lambda v: _escape(safe_string(v))

    @staticmethod
    def _string(value: str) -> str:
        """An inline string as openpyxl writes it (same length limit and character check)."""
        text = value[:MAX_TEXT]
        if ILLEGAL_CHARACTERS_RE.search(text):
            raise IllegalCharacterError(f"{text} cannot be used in worksheets.")
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f"<t{space}>{_escape(text)}</t>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _string_kind(value: object) -> str:
    """The strings openpyxl treats apart (empty, formula-like, error codes); "" for a non-string."""
    if not isinstance(value, str):
        return ""
    if value == "":
        return "empty"
    if len(value) > 1 and value.startswith("="):
        return "formula"
    return "error" if value in _ERRORS else "text"
