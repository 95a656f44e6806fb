"""Registers written inline as text tables, so a test reads like the user's sheet.

    register(customers='''
        | Customer ID | Company  | Employees | Postal code |
        | 1           | Fjord AS | 120       | '0150'      |
    ''')

Cells become what python-calamine gives for a typed cell: numbers -> float, ISO dates ->
datetime.date, TRUE/FALSE -> bool, blank -> None, anything else (or text in quotes) -> str.
Headers may be English or Norwegian; the first data row is Excel row 2, in order.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.register import Register, SheetData

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def cell(text: str) -> object:
    """A text-table cell as the raw value a reader would give."""
    text = text.strip()
    if text == "":
        return None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if _DATE.match(text):
        return dt.date.fromisoformat(text)
    if _NUMBER.match(text):
        return float(text)
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    return text


def parse_table(text: str) -> tuple[list[str], list[list[object]]]:
    """Header cells and raw data rows of a '|'-separated table."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    split = [[c for c in ln.strip("|").split("|")] for ln in lines]
    header = [c.strip() for c in split[0]]
    rows = [[cell(c) for c in r] for r in split[1:] if not set("".join(r)) <= set("-: ")]
    return header, rows


def sheet(sheet_key: str, text: str | None, lang: str = "en") -> SheetData:
    """One sheet from a text table; every field absent from the table is a blank column."""
    fields = [f.name for f in s.SHEET_FIELDS[sheet_key]]
    header, rows = parse_table(text) if text else ([], [])
    positions = layout.match_headers(sheet_key, header)
    unknown = [h for i, h in enumerate(header) if i not in positions.values()]
    assert not unknown, f"unknown headers for {sheet_key}: {unknown}"
    data = {f: [r[positions[f]] if f in positions else None for r in rows] for f in fields}
    frame = pd.DataFrame(data, index=pd.Index(range(2, len(rows) + 2), name="row"), dtype=object)
    columns = {f: layout.column_letter(i) for f, i in positions.items()}
    return SheetData(sheet_key, layout.sheet_name(sheet_key, lang), frame, columns)


def register(
    customers: str | None = None,
    purchases: str | None = None,
    mailings: str | None = None,
    selections: str | None = None,
    *,
    lang: str = "en",
    lists: dict[str, list[str]] | None = None,
    settings: dict[str, object] | None = None,
) -> Register:
    """A Register from text tables; lists default to the shipped English values."""
    texts = {
        s.CUSTOMERS: customers,
        s.PURCHASES: purchases,
        s.MAILINGS: mailings,
        s.SELECTIONS: selections,
    }
    sheets = {key: sheet(key, text, lang) for key, text in texts.items()}
    default_lists = {k: layout.list_values(k, lang) for k in s.LISTS_EN}
    return Register(lang, sheets, {**default_lists, **(lists or {})}, settings or {})
