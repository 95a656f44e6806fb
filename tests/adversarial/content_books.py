"""Hostile registers for the content tests: text pasted from Word with control characters,
written the way Excel stores them (``_x000B_`` escapes in the shared strings)."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook

from crmbook.book import layout


def with_text(book: Path, sheet: str, cells: Mapping[tuple[int, str], str]) -> None:
    """Put texts holding control characters into cells (Excel row, English field), as Excel
    saves them: each forbidden character as its ``_xHHHH_`` escape."""
    wb = load_workbook(book)
    ws = wb[layout.find_sheet(sheet, wb.sheetnames)]
    positions = layout.match_headers(sheet, [c.value for c in ws[1]])
    marks = {}
    for i, ((row, field), text) in enumerate(cells.items()):
        mark = f"CRMBOOKMARK{i:04d}"
        ws.cell(row, positions[field] + 1, mark)
        marks[mark] = "".join(f"_x{ord(c):04X}_" if _forbidden(c) else c for c in text)
    wb.save(book)
    _replace_in_zip(book, marks)


def _replace_in_zip(book: Path, marks: Mapping[str, str]) -> None:
    temp = book.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xml"):
                text = data.decode("utf-8")
                for mark, value in marks.items():
                    text = text.replace(mark, value)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    shutil.move(temp, book)


def _forbidden(char: str) -> bool:
    return (ord(char) < 32 and char not in "\t\n\r") or char in "\ufffe\uffff"
