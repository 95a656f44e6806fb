"""Validation marks written as patches to the few rows they change, not a sheet rewritten.

Setting and clearing marks changes the ``s`` attribute of a handful of cells. A first pass
inflates the sheet a piece at a time and keeps only the rows an edit reaches: each wanted row
found by a binary search in its piece (Excel keeps rows in ascending order), the rows holding
a mark by a pattern search. Those rows are edited by the same code as any other write
(``Worksheet``); the second pass inflates the sheet again and splices the new rows in as the
bytes stream to the deflater. A 120 MB sheet is never in memory whole, and 100,000 rows are
never indexed. A sheet this cannot read safely (rows without numbers, comments among the rows,
a wanted row missing or outside the sheet's dimension) gives None, and the caller edits it
the ordinary way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from crmbook.book.xlsx.rowstore import style_hits
from crmbook.book.xlsx.sheet import Worksheet, split_ref
from crmbook.book.xlsx.styles import Styles

#: (start, end, new bytes): a row's old span in the sheet's XML and what replaces it.
Patch = tuple[int, int, bytes]
#: An edit as (cells to mark, or None for "clear every mark").
Step = Sequence[tuple[int, int]] | None

_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?sheetData)\b[^>]*?(/?)>")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="([^"]*)"')
_AFTER_NAME = frozenset(b" \t\r\n/>")
#: Below this many bytes the binary search walks row by row.
_WALK = 1 << 14


#: Rows patched together (see ``mark_patches``).
BATCH = 1000


class _Unusual(Exception):
    """The sheet's row markup is not what the quick path can safely patch."""


def mark_patches(
    chunks: Iterable[bytes], steps: Sequence[Step], styles: Styles
) -> list[Patch] | None:
    """The row patches that carry out ``steps`` in order (mark cells / clear every mark) on a
    worksheet's XML (given in chunks), or None when it must be edited the ordinary way."""
    wanted = sorted({row for step in steps if step is not None for row, _ in step})
    marked = styles.marked_styles() if any(step is None for step in steps) else set()
    try:
        found = _Found(wanted, marked)
        for offset, piece in _row_pieces(chunks):
            found.piece(offset, piece)
        found.finish()
    except _Unusual:
        return None
    if not found.rows:
        return []
    if not _inside_dimension(found.head, steps):
        return None
    order = sorted(found.rows)
    # A parsed row holds libxml2 nodes for its every cell (~19 KB a row of 34 cells): 9,000
    # marked rows took 170 MB at once. The rows are patched a batch at a time, which gives the
    # very same bytes while at most one step marks (clearing creates no format, so the formats
    # a marking step creates come in row order either way).
    size = BATCH if sum(step is not None for step in steps) <= 1 else len(order)
    patches: list[Patch] = []
    for first in range(0, len(order), size):
        batch = order[first : first + size]
        mini = Worksheet(found.head + b"".join(found.rows[n][2] for n in batch) + found.tail)
        rows = set(batch)
        for step in steps:
            if step is None:
                clear_marks(mini, styles)
            else:
                mark(mini, styles, [(row, col) for row, col in step if row in rows])
        patches += [(*found.rows[n][:2], mini.row_bytes(n)) for n in batch if mini.row_parsed(n)]
    return patches


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


def spliced(chunks: Iterable[bytes], patches: Sequence[Patch]) -> Iterator[bytes]:
    """The streamed XML with each patch's span replaced by its new bytes."""
    pending = sorted(patches)
    at = 0  # position of the chunk's first byte in the whole XML
    skip_to = 0  # bytes before this position belong to a replaced row
    for chunk in chunks:
        end = at + len(chunk)
        cursor = max(at, skip_to)
        while pending and pending[0][0] < end:
            start, stop, new = pending.pop(0)
            if start > cursor:
                yield chunk[cursor - at : start - at]
            yield new
            cursor = skip_to = stop
        if cursor < end:
            yield chunk[cursor - at :]
        at = end


def _row_pieces(chunks: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """(offset, piece) of a sheet's XML, each piece ending before a row opening (the last one
    with the rest of the sheet): a piece holds whole rows."""
    carry, offset = b"", 0
    for chunk in chunks:
        data = carry + chunk
        cut = _last_row_opening(data)
        if cut > 0:
            yield offset, data[:cut]
            offset += cut
            data = data[cut:]
        carry = data
    if carry:
        yield offset, carry


def _last_row_opening(data: bytes) -> int:
    """Where the last ``<row`` (``<x:row``) opening tag starts, 0 when there is none."""
    at = data.rfind(b"row")
    while at > 0:
        start = data.rfind(b"<", 0, at)
        name = data[start + 1 : at]
        after = data[at + 3 : at + 4]
        prefixed = name.endswith(b":") and b"/" not in name and b" " not in name
        if start >= 0 and (name == b"" or prefixed) and after and after[0] in _AFTER_NAME:
            return start
        at = data.rfind(b"row", 0, at)
    return 0


class _Found:
    """What the first pass keeps: the sheet's head and tail and the rows the edits reach."""

    def __init__(self, wanted: list[int], marked: set[int]) -> None:
        self._wanted = wanted
        self._marked = marked
        self.head = b""
        self.tail = b""
        self.rows: dict[int, tuple[int, int, bytes]] = {}  # number -> (start, end, bytes)
        self._open = self._close = b""
        self._in_rows = False

    def piece(self, offset: int, data: bytes) -> None:
        first = 0
        if not self._in_rows:
            match = _SHEET_DATA.search(data)
            if match is None or match.group(2):
                raise _Unusual("no rows")
            self.head = data[: match.end()]
            prefix = match.group(1)[: -len(b"sheetData")]
            self._open, self._close = b"<" + prefix + b"row", b"</" + prefix + b"row>"
            self._in_rows, first = True, match.end()
        rows = _Rows(data, first, len(data), self._open, self._close)
        # rows end before </sheetData>: it is looked for after the piece's last row only
        closing = data.find(b"</" + self._open[1:-3] + b"sheetData>", rows.last_start(first))
        if closing >= 0:
            self.tail = data[closing:]
            rows.last = closing
        if _declaration(data, first, rows.last):
            raise _Unusual("comments or CDATA among the rows")
        self._take_wanted(rows, offset, last_piece=closing >= 0)
        for at in style_hits(data, self._marked, first, rows.last):
            number, (start, end) = rows.around(at)
            self.rows[number] = (offset + start, offset + end, data[start:end])

    def _take_wanted(self, rows: _Rows, offset: int, *, last_piece: bool) -> None:
        top = rows.last_number()
        while self._wanted and (last_piece or (top is not None and self._wanted[0] <= top)):
            number = self._wanted.pop(0)
            start, end = rows.find(number)
            self.rows[number] = (offset + start, offset + end, rows.data[start:end])

    def finish(self) -> None:
        if self._wanted or not self._in_rows:
            raise _Unusual("a wanted row is missing")
        if not self.tail:
            raise _Unusual("no end of the rows after the last row")


class _Rows:
    """The rows in ``data[first:last]``, found on demand by number or by a position in them."""

    def __init__(self, data: bytes, first: int, last: int, opening: bytes, closing: bytes) -> None:
        self.data, self.first, self.last = data, first, last
        self._open, self._close = opening, closing

    def last_start(self, default: int) -> int:
        """Where the last row opens (``default`` when there is no row)."""
        start = self.data.rfind(self._open, self.first, self.last)
        while start >= 0 and self.data[start + len(self._open)] not in _AFTER_NAME:
            start = self.data.rfind(self._open, self.first, start)
        return default if start < 0 else start

    def last_number(self) -> int | None:
        """The number of the last row (None when there is no row)."""
        start = self.last_start(-1)
        return None if start < 0 else self._number(start)

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
        end = self.data.find(self._close, tag_end, self.last + len(self._close))
        if end < 0:
            raise _Unusual("a row without its end")
        return end + len(self._close)


def _declaration(data: bytes, start: int, end: int) -> bool:
    """Whether a comment, CDATA or other ``<!`` markup stands in ``data[start:end]``; ``!`` is
    searched alone (memchr), as it is rare in a sheet, where a two-byte search is slower."""
    at = data.find(b"!", start, end)
    while at >= 0:
        if at > start and data[at - 1] == ord("<"):
            return True
        at = data.find(b"!", at + 1, end)
    return False


def _inside_dimension(head: bytes, steps: Sequence[Step]) -> bool:
    """Whether every cell to mark lies inside the sheet's <dimension> (so it needs no update)."""
    cells = [cell for step in steps if step is not None for cell in step]
    if not cells:
        return True
    match = _DIMENSION.search(head)
    if match is None:  # no <dimension> to keep up to date (openpyxl's write-only sheets have
        return True  # none): the ordinary path leaves it absent too
    end = match.group(1).decode("ascii", "replace").rpartition(":")[2]
    try:
        last_row, last_col = split_ref(end)
    except ValueError:
        return False
    return all(row <= last_row and col <= last_col for row, col in cells)
