"""A row's values cleared from its raw bytes, its formats kept, without making it an element.

Replacing a long Issues sheet by a short one clears every row below the new ones; 20,000 rows
parsed and cleared cell by cell cost seconds. A row of plain cells (attributes r, s and t, a value
and no formula) is cleared here as text, into the very bytes the cell-by-cell path writes: a cell
with a format stays as ``<c r="B5" s="11"/>``, one without goes, and a row left with no cell and
no formatting of its own goes too. Anything else gives None, and the caller clears the row the
ordinary way (``SheetWriter.clear_row``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A row as lxml writes it back: r first, then attributes whose values need no escaping.
_ROW = re.compile(rb'<row r="(\d+)"((?: [\w:]+="[\w.:+-]*")*)(?:/>\Z|>(.*)</row>\Z)', re.S)
_ATTRIBUTE = re.compile(rb' ([\w:]+)="')
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"(?: s="(0|[1-9]\d*)")?(?: t="\w+")?(?:/>|>(.*?)</c>)', re.S
)
#: What may stand in a cell that is cleared: its value, a number or a (rich) text, no formula.
_VALUE = re.compile(rb"(?:<v>[^<]*</v>|<v/>|<is>(?:(?!</is>).)*</is>)?\Z", re.S)


@dataclass(frozen=True)
class Cleared:
    """A cleared row: its new bytes (None when the row goes) and its cells' columns before and
    after (links at the cells it had are removed)."""

    xml: bytes | None
    had: list[int]
    kept: list[int]


def cleared(number: int, raw: bytes) -> Cleared | None:
    """Row ``number``'s bytes with every value cleared and every format kept, or None when the
    row is not plain enough to be cleared as text."""
    row = _ROW.match(raw)
    if row is None or int(row.group(1)) != number:
        return None
    body = row.group(3) or b""
    had: list[int] = []
    kept: list[bytes] = []
    kept_columns: list[int] = []
    at = 0
    while at < len(body):
        cell = _CELL.match(body, at)
        if cell is None or not _VALUE.match(cell.group(4) or b""):
            return None
        col = _column(cell.group(1))
        if had and col <= had[-1]:  # out of order or twice: the ordinary path knows what to do
            return None
        had.append(col)
        if cell.group(3) not in (None, b"0"):
            kept.append(b'<c r="%s%s" s="%s"/>' % (cell.group(1), cell.group(2), cell.group(3)))
            kept_columns.append(col)
        at = cell.end()
    tag = b'<row r="%s"%s' % (row.group(1), row.group(2))
    if kept:
        return Cleared(tag + b">" + b"".join(kept) + b"</row>", had, kept_columns)
    names = {name for name in _ATTRIBUTE.findall(row.group(2))}
    return Cleared(None if names <= {b"spans"} else tag + b"/>", had, [])


def _column(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1
