"""Records from outside (an accounting file, a public register) as another department's book.

``plan_import`` compares two registers; giving it these records as the Customers sheet of a
book without Customer IDs (an outside source numbers nothing the way this book does, so IDs
never match) makes every import rule apply to them unchanged: org number, else name and postal
code, never a guess. Rows are numbered 2, 3, ... in the records' order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from crmbook.core import schema as s
from crmbook.core.merge import Record
from crmbook.core.register import Register, SheetData

FIRST_ROW = 2


def other_book(here: Register, records: Sequence[Record]) -> Register:
    """A register whose Customers are ``records`` (no Customer IDs) and whose other data
    sheets are empty, with this book's language, lists and settings."""
    fields = [f.name for f in s.SHEET_FIELDS[s.CUSTOMERS]]
    rows = [{**r, "Customer ID": None} for r in records]
    frame = pd.DataFrame(rows, columns=fields, dtype=object)
    frame.index = pd.RangeIndex(FIRST_ROW, len(rows) + FIRST_ROW)
    sheets = {s.CUSTOMERS: _sheet(s.CUSTOMERS, frame)}
    for key in (s.PURCHASES, s.MAILINGS, s.SELECTIONS):
        empty = pd.DataFrame(columns=[f.name for f in s.SHEET_FIELDS[key]], dtype=object)
        sheets[key] = _sheet(key, empty)
    return replace(here, sheets=sheets, path=None)


def _sheet(key: str, frame: pd.DataFrame) -> SheetData:
    letters = {name: _letter(i) for i, name in enumerate(frame.columns)}
    return SheetData(key, key, frame, letters)


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else "A" + chr(ord("A") + index - 26)
