"""Cells that show an Excel error (#REF!, #DIV/0!, #N/A …), found in a worksheet's XML.

python-calamine reads such a cell as blank, which would hide a broken formula from validation;
errors are rare, so the sheet's bytes are searched for the error type instead of parsed.
"""

from __future__ import annotations

import re

_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def error_cells(sheet_xml: bytes) -> dict[tuple[int, int], str]:
    """(Excel row, 0-based column) -> error text of every ``t="e"`` cell of a worksheet."""
    found: dict[tuple[int, int], str] = {}
    at = sheet_xml.find(b't="e"')
    while at != -1:
        start = sheet_xml.rfind(b"<c ", 0, at)
        end = sheet_xml.find(b"</c>", at)
        head_end = sheet_xml.find(b">", at)
        ref = _REF.search(sheet_xml, start, head_end) if start != -1 else None
        if ref is not None and end != -1:
            value = _VALUE.search(sheet_xml, head_end, end)
            text = value.group(1).decode("utf-8", "replace") if value else "#N/A"
            found[(int(ref.group(2)), _column(ref.group(1).decode()))] = text
        at = sheet_xml.find(b't="e"', at + 1)
    return found


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
