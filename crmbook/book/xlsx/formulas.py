"""Cells that hold a formula, found in a worksheet's XML, and whether each has a cached value.

python-calamine reads a formula cell as the value Excel last calculated; a workbook written by
a program that cannot calculate (or saved with calculation off) has none, so the cell reads as
blank. Validation must say so, and crmbook must never write over a formula.
"""

from __future__ import annotations

import re

_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def formula_cells(sheet_xml: bytes) -> dict[tuple[int, int], bool]:
    """(Excel row, 0-based column) -> whether the formula cell has a cached value."""
    found: dict[tuple[int, int], bool] = {}
    at = sheet_xml.find(b"<f")
    while at != -1:
        if sheet_xml[at + 2 : at + 3] in (b">", b" ", b"/"):
            start = sheet_xml.rfind(b"<c ", 0, at)
            head_end = sheet_xml.find(b">", start) if start != -1 else -1
            ref = _REF.search(sheet_xml, start, head_end) if head_end != -1 else None
            end = sheet_xml.find(b"</c>", at)
            if ref is not None and end != -1:
                cell = (int(ref.group(2)), _column(ref.group(1)))
                found[cell] = _VALUE.search(sheet_xml, at, end) is not None
        at = sheet_xml.find(b"<f", at + 2)
    return found


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1
