"""Every cell of a workbook as its file holds it, read independently of crmbook's reader.

A sheet is {"B5": (value text, formula text)}; shared strings are resolved and inline strings
joined, so a cell compares equal whether Excel or crmbook wrote it. The XML is walked cell by
cell, so a stray value at XFD1048576 costs nothing here either.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from crmbook.book import layout

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

Cells = dict[str, tuple[str, str]]


def workbook_cells(path: Path) -> dict[str, Cells]:
    """Sheet name -> its cells."""
    with zipfile.ZipFile(path) as z:
        strings = _shared_strings(z)
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PKG}Relationship")}
        book = etree.fromstring(z.read("xl/workbook.xml"))
        out = {}
        for sheet in book.iter(f"{_NS}sheet"):
            target = targets[sheet.get(_REL)]
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            if part in z.namelist():
                out[sheet.get("name")] = _sheet_cells(z.read(part), strings)
        return out


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in z.namelist():
        return []
    root = etree.fromstring(z.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root]


def _sheet_cells(xml: bytes, strings: list[str]) -> Cells:
    cells: Cells = {}
    for _, c in etree.iterparse(_Bytes(xml), tag=f"{_NS}c"):
        kind = c.get("t")
        v = c.find(f"{_NS}v")
        f = c.find(f"{_NS}f")
        if kind == "inlineStr":
            value = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
        elif kind == "s" and v is not None:
            value = strings[int(v.text)]
        else:
            value = "" if v is None else v.text or ""
        formula = "" if f is None else f.text or f.get("t", "")
        if value or formula:
            cells[c.get("r")] = (value, formula)
        c.clear()
    return cells


class _Bytes:
    """A file-like view of bytes for iterparse."""

    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._data) if n < 0 else self._at + n
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


def user_columns(sheet_key: str, cells: Cells) -> set[str]:
    """Column letters whose row-1 header crmbook does not read (the user's own columns, and the
    second of two equal headers)."""
    header = {
        layout.column_index(column_of(ref)): value
        for ref, (value, _) in cells.items()
        if ref == column_of(ref) + "1"
    }
    row = [header.get(i) for i in range(max(header, default=-1) + 1)]
    known = set(layout.match_headers(sheet_key, row).values())
    return {layout.column_letter(i) for i in header if i not in known}


def column_of(ref: str) -> str:
    """'AB12' -> 'AB'."""
    return ref.rstrip("0123456789")
