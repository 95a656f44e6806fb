"""One customer's personal data across the register: find it, export it, erase it (GDPR).

Right of access needs every row the register holds on a customer; erasure needs those same
rows gone. Both start from ``customer_rows``, so what is exported is exactly what is erased.
The Import plan names a customer by Customer ID, and a rejected or ambiguous row of the other
book (which has none) by its company name or an org number quoted in it.
Both cover whole rows, the columns the user added included: export every non-empty cell,
erase every cell. Erasing blanks the rows where they are instead of moving the rows below up:
the other rows keep their row numbers (the Issues sheet's links stay right), and readers skip
the empty rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import json_value
from crmbook.core.edits import ClearRows, Edit
from crmbook.core.merge_values import name_key, org_key
from crmbook.core.register import Register

#: Sheets whose rows point at a customer through their Customer ID column.
BY_CUSTOMER_ID = (s.CUSTOMERS, s.PURCHASES, s.MAILINGS, s.RECIPIENTS)


def customer_rows(register: Register, customer_id: int, extra: Iterable[str] = ()) -> dict:
    """English sheet key -> Excel rows holding the customer (only sheets with any).

    ``extra`` names further sheets with a Customer ID column (the Import plan, whose rows
    without one count when they name the customer's company or org number). Issues rows
    pointing at one of those rows count too: they quote the cell's value.
    """
    out: dict[str, list[int]] = {}
    for sheet in (*BY_CUSTOMER_ID, *extra):
        data = register.sheets.get(sheet)
        if data is None or "Customer ID" not in data.frame.columns:
            continue
        ids = data.frame["Customer ID"].map(typed.integer)
        mine = ids == customer_id
        if sheet == s.IMPORT and s.CUSTOMERS in out:
            named = _names_customer(data.frame, register.frame(s.CUSTOMERS).loc[out[s.CUSTOMERS]])
            mine |= ids.isna() & named
        rows = [int(r) for r in ids.index[mine]]
        if rows:
            out[sheet] = rows
    issues = _issue_rows(register, out)
    if issues:
        out[s.ISSUES] = issues
    return out


def _names_customer(plan: pd.DataFrame, customer: pd.DataFrame) -> pd.Series:
    """Import rows whose Company is the customer's (by name key), or whose text quotes the
    customer's org number (with or without spaces)."""
    names = {name_key(v) for v in customer["Company"]} - {None}
    orgs = {org_key(v) for v in customer["Org number"]} - {None}
    orgs = {o for o in orgs if len(o) >= 6}  # a stray digit or two is not an org number
    company = plan["Company"] if "Company" in plan.columns else pd.Series(None, index=plan.index)
    by_name = company.map(name_key).isin(names)
    digits = plan.apply(lambda r: " ".join(org_key(v) or "" for v in r), axis=1)
    by_org = digits.map(lambda d: any(o in d for o in orgs))
    return by_name | by_org.astype(bool)


def _issue_rows(register: Register, found: dict[str, list[int]]) -> list[int]:
    data = register.sheets.get(s.ISSUES)
    if data is None or data.frame.empty:
        return []
    targets = {(register.sheets[k].name, r) for k, rows in found.items() for r in rows}
    frame = data.frame
    return [
        int(row)
        for row, sheet, at in zip(frame.index, frame["Sheet"], frame["Row"], strict=True)
        if (typed.text(sheet), typed.integer(at)) in targets
    ]


def export_record(
    register: Register,
    customer_id: int,
    rows: dict[str, list[int]],
    cells: Mapping[str, Sequence[Sequence[object]]],
) -> dict:
    """Everything on the customer, sheet by sheet: every non-empty cell of their rows, keyed by
    the header as the book shows it, the user's own columns included.

    ``cells`` holds each sheet's rows as read from the workbook (English sheet key -> rows from
    row 1, the header). A header that repeats gets its position ("Firma (2)"), and a column
    without a header its letter, so no value is left out or overwritten.
    """
    sheets = {}
    for sheet, numbers in rows.items():
        grid = cells.get(sheet, [])
        mine = [list(grid[r - 1]) if 0 < r <= len(grid) else [] for r in numbers]
        keys = _keys(grid[0] if grid else [], max(map(len, mine), default=0))
        sheets[register.sheets[sheet].name] = [
            {"row": r, **{keys[i]: cell_json(v) for i, v in enumerate(values)
                          if not typed.is_blank(v)}}
            for r, values in zip(numbers, mine, strict=True)
        ]  # fmt: skip
    return {"customer_id": customer_id, "sheets": sheets}


def _keys(header: Sequence[object], width: int) -> list[str]:
    """A distinct JSON key per column: the header as written, else the column letter."""
    taken = {"row"}
    keys = []
    for i in range(max(len(header), width)):
        base = typed.text(header[i] if i < len(header) else None) or _letter(i)
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base} ({n})"
        taken.add(key)
        keys.append(key)
    return keys


def _letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> 'A', 26 -> 'AA')."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_json(value: object) -> object:
    """A cell as JSON: whole numbers as integers (Excel stores 70 as 70.0), dates as ISO
    dates (with the time only when there is one), blanks as null."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return cell_json(value.to_pydatetime())
    return json_value(value)


def erase_edits(rows: dict[str, list[int]]) -> list[Edit]:
    """Blank every cell of the customer's rows, sheet by sheet: the columns crmbook knows and
    the ones the user added (a private phone number must not stay behind, unlinked)."""
    return [ClearRows(sheet, numbers) for sheet, numbers in rows.items()]


def report_rows(
    grid: Sequence[Sequence[object]], customer_id: int, id_headers: Iterable[str]
) -> list[int]:
    """Excel rows of the Report sheet that name the customer: the rows of its tables (the
    top-customer lists) whose Customer ID column (a header in ``id_headers``, either language)
    holds the customer's ID; a number in another column is a figure, not a customer."""
    wanted = {norm_header(h) for h in id_headers}
    out, column = [], None
    for number, cells in enumerate(grid, 1):
        if _is_header(cells):
            names = [norm_header(v) for v in cells]
            column = next((i for i, n in enumerate(names) if n in wanted), None)
        elif column is not None and column < len(cells):
            if typed.integer(cells[column]) == customer_id:
                out.append(number)
        elif not any(not typed.is_blank(v) for v in cells):
            column = None  # a blank row ends a table
    return out


def norm_header(value: object) -> str:
    """A header as compared: case and spaces ignored."""
    return "".join((typed.text(value) or "").split()).casefold()


def report_record(grid: Sequence[Sequence[object]], rows: Iterable[int]) -> list[dict]:
    """The Report rows naming the customer, each keyed by its table's header (the nearest row
    above whose cells are all text), so the export says what each figure is."""
    out = []
    for row in rows:
        cells = list(grid[row - 1])
        header = next((grid[r] for r in range(row - 2, -1, -1) if _is_header(grid[r])), [])
        keys = _keys(header, len(cells))
        out.append({"row": row, **{keys[i]: cell_json(v) for i, v in enumerate(cells)
                                   if not typed.is_blank(v)}})  # fmt: skip
    return out


def _is_header(cells: Sequence[object]) -> bool:
    given = [v for v in cells if not typed.is_blank(v)]
    return len(given) > 1 and all(isinstance(v, str) for v in given)
