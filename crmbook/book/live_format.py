"""The look of a formatted sheet (the Report) in a workbook open in Excel: the same roles as the
file writer (``xlsx.roles``), set through xlwings once per role on multi-area ranges (a few dozen
calls for the whole report, not one per cell), columns fitted.

Called after the values are written; the rows' old formats are cleared first, so nothing of an
earlier, longer report stays behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from crmbook.book import layout
from crmbook.book.xlsx.roles import LOOKS, Look
from crmbook.book.xlsx.writer import StyledLike, fit_widths

#: Excel's Range() takes an address of at most 255 characters (several areas joined by commas).
MAX_ADDRESS = 255


def has_roles(rows: Sequence[Sequence[object]]) -> bool:
    """Whether the rows are a formatted sheet's (some cells carry a role)."""
    return any(isinstance(v, StyledLike) for row in rows for v in row)


def format_rows(sheet: Any, first_row: int, rows: Sequence[Sequence[object]]) -> None:
    """Give each run of cells with one role its look, and the columns their widths."""
    last = sheet.used_range.last_cell
    if last.row >= first_row:
        sheet.range((first_row, 1), (last.row, last.column)).clear_formats()
    areas: dict[str, list[str]] = {}
    for row, first, end, role in _runs(first_row, rows):
        areas.setdefault(role, []).append(f"{_letters(first)}{row}:{_letters(end)}{row}")
    for role, refs in areas.items():
        for address in _chunks(refs):
            _apply(sheet.range(address), LOOKS.get(role, LOOKS["text"]))
    for col, width in fit_widths(rows).items():
        sheet.range((1, col + 1)).column_width = width


def _runs(first_row: int, rows: Sequence[Sequence[object]]) -> Iterator[tuple[int, int, int, str]]:
    """(Excel row, first column, last column, role) of each run of same-role cells."""
    for row, values in enumerate(rows, start=first_row):
        start, current = 0, None
        for col, value in enumerate([*values, None], start=1):
            role = value.role if isinstance(value, StyledLike) else None
            if role != current:
                if current is not None:
                    yield row, start, col - 1, current
                start, current = col, role


def _chunks(refs: list[str], limit: int = MAX_ADDRESS) -> Iterator[str]:
    """The areas joined by commas into addresses Excel accepts (at most 255 characters)."""
    chunk: list[str] = []
    for ref in refs:
        if chunk and len(",".join([*chunk, ref])) > limit:
            yield ",".join(chunk)
            chunk = []
        chunk.append(ref)
    if chunk:
        yield ",".join(chunk)


def _letters(col: int) -> str:
    return layout.column_letter(col - 1)


def _apply(cells: Any, look: Look) -> None:
    if look.bold or look.italic or look.size != LOOKS["text"].size or look.color:
        cells.font.bold, cells.font.italic, cells.font.size = look.bold, look.italic, look.size
        if look.color:
            cells.font.color = _rgb(look.color)
    if look.fill:
        cells.color = _rgb(look.fill)
    if look.num_format:
        cells.number_format = look.num_format


def _rgb(argb: str) -> tuple[int, int, int]:
    return int(argb[2:4], 16), int(argb[4:6], 16), int(argb[6:8], 16)
