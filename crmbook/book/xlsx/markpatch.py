"""Validation marks written as patches to the few rows they change, not a sheet rewritten.

Setting and clearing marks changes the ``s`` attribute of a handful of cells. Indexing all
100,000 rows of a 120 MB sheet to reach them cost 1.7 s; here each wanted row is found by a
binary search on the sheet's bytes (Excel keeps rows in ascending order), the rows holding a
mark by a pattern search, and only those rows are parsed, edited by the same code as any other
write (``Worksheet``) and spliced back between the untouched bytes. A sheet this cannot read
safely (rows without numbers, comments in the data, a wanted row missing) returns None, and
the caller edits it the ordinary way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from crmbook.book.xlsx.rowstore import style_hits
from crmbook.book.xlsx.sheet import Worksheet, split_ref
from crmbook.book.xlsx.styles import Styles

#: (start, end, new bytes): a row's old span in the sheet's bytes and what replaces it.
Patch = tuple[int, int, bytes]
#: An edit as (cells to mark, or None for "clear every mark").
Step = Sequence[tuple[int, int]] | None

_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?sheetData)\b[^>]*?(/?)>")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="([^"]*)"')
_AFTER_NAME = frozenset(b" \t\r\n/>")
#: Below this many bytes the binary search walks row by row.
_WALK = 1 << 16
_PIECE = 1 << 20


class _Unusual(Exception):
    """The sheet's row markup is not what the quick path can safely patch."""


def mark_patches(data: bytes, steps: Sequence[Step], styles: Styles) -> list[Patch] | None:
    """The row patches that carry out ``steps`` in order (mark cells / clear every mark), or
    None when the sheet must be edited the ordinary way."""
    try:
        rows = _Rows(data)
        wanted = {row for step in steps if step is not None for row, _ in step}
        marked = styles.marked_styles() if any(step is None for step in steps) else set()
        spans = {n: rows.find(n) for n in sorted(wanted)}
        for at in style_hits(data, marked, rows.first, rows.last):
            number, span = rows.around(at)
            spans[number] = span
    except _Unusual:
        return None
    if not _inside_dimension(data, rows.first, steps):
        return None
    order = sorted(spans, key=lambda n: spans[n][0])
    mini = Worksheet(
        data[: rows.first] + b"".join(data[slice(*spans[n])] for n in order) + data[rows.last :]
    )
    for step in steps:
        if step is None:
            clear_marks(mini, styles)
        else:
            mark(mini, styles, step)
    return [(*spans[n], mini.row_bytes(n)) for n in order if mini.row_parsed(n)]


def mark(sheet: Worksheet, styles: Styles, cells: Sequence[tuple[int, int]]) -> bool:
    """Give cells the problem fill, keeping the rest of their format; whether any was set."""
    for row, col in cells:
        style = sheet.style(row, col)
        if style is None:
            style = sheet.column_style(col)
        sheet.set_style(row, col, styles.marked(style))
    return bool(cells)


def clear_marks(sheet: Worksheet, styles: Styles) -> bool:
    """Restore every marked cell of the sheet to its own format; whether any was changed."""
    changed = False
    for row in sheet.rows_with_styles(styles.marked_styles()):
        for col, element in sheet.row_cells(row).items():
            own = styles.unmarked(int(element.get("s", "0")))
            if own is not None:
                changed = True
                sheet.set_style(row, col, own)
    return changed


def spliced(data: bytes, patches: Sequence[Patch]) -> Iterator[bytes | memoryview]:
    """The sheet's bytes with the patches in place, in pieces of about 1 MB (no copy of the
    untouched stretches)."""
    view, at = memoryview(data), 0
    for start, end, new in sorted(patches):
        yield from _pieces(view, at, start)
        yield new
        at = end
    yield from _pieces(view, at, len(data))


def _pieces(view: memoryview, start: int, end: int) -> Iterator[memoryview]:
    for at in range(start, end, _PIECE):
        yield view[at : min(at + _PIECE, end)]


class _Rows:
    """Rows of a sheet's bytes found on demand, by number or by a position inside them."""

    def __init__(self, data: bytes) -> None:
        match = _SHEET_DATA.search(data)
        if match is None or match.group(2):
            raise _Unusual("no rows")
        self.data = data
        self.first = match.end()
        name = match.group(1)
        self.last = data.index(b"</" + name + b">", self.first)
        prefix = name[: -len(b"sheetData")]
        self._open, self._close = b"<" + prefix + b"row", b"</" + prefix + b"row>"
        if data.find(b"<!", self.first, self.last) >= 0:
            raise _Unusual("comments or CDATA among the rows")

    def find(self, number: int) -> tuple[int, int]:
        """The span of row ``number``; rows ascend, so a binary search on positions finds it."""
        lo, hi = self.first, self.last
        while hi - lo > _WALK:
            mid = (lo + hi) // 2
            start = self._next_row(mid, hi)
            if start is None:
                hi = mid
                continue
            found = self._number(start)
            if found == number:
                return start, self._end(start)
            lo, hi = (start + 1, hi) if found < number else (lo, mid)
        start = self._next_row(lo, hi)
        while start is not None:
            if self._number(start) == number:
                return start, self._end(start)
            start = self._next_row(start + 1, hi)
        raise _Unusual(f"row {number} not found")

    def around(self, at: int) -> tuple[int, tuple[int, int]]:
        """The number and span of the row holding position ``at``."""
        start = self.data.rfind(self._open, self.first, at)
        while start >= 0 and self.data[start + len(self._open)] not in _AFTER_NAME:
            start = self.data.rfind(self._open, self.first, start)
        if start < 0:
            raise _Unusual("a cell outside any row")
        return self._number(start), (start, self._end(start))

    def _next_row(self, at: int, end: int) -> int | None:
        """The first row opening that starts in [at, end)."""
        limit = min(end + len(self._open), self.last)
        start = self.data.find(self._open, at, limit)
        while start >= 0 and self.data[start + len(self._open)] not in _AFTER_NAME:
            start = self.data.find(self._open, start + 1, limit)
        return None if start < 0 or start >= end else start

    def _number(self, start: int) -> int:
        match = _ROW_NUMBER.search(self.data, start, self.data.index(b">", start))
        if match is None:
            raise _Unusual("a row without a number")
        return int(match.group(1))

    def _end(self, start: int) -> int:
        tag_end = self.data.index(b">", start)
        if self.data[tag_end - 1] == ord("/"):
            return tag_end + 1
        return self.data.index(self._close, tag_end) + len(self._close)


def _inside_dimension(data: bytes, first: int, steps: Sequence[Step]) -> bool:
    """Whether every cell to mark lies inside the sheet's <dimension> (so it needs no update)."""
    cells = [cell for step in steps if step is not None for cell in step]
    if not cells:
        return True
    match = _DIMENSION.search(data, 0, first)
    if match is None:
        return False
    end = match.group(1).decode("ascii", "replace").rpartition(":")[2]
    try:
        last_row, last_col = split_ref(end)
    except ValueError:
        return False
    return all(row <= last_row and col <= last_col for row, col in cells)

