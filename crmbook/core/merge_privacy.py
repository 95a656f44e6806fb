"""One customer's personal data across the register: find it, export it, erase it (GDPR).

Right of access needs every row the register holds on a customer; erasure needs those same
rows gone. Both start from ``customer_rows``, so what is exported is exactly what is erased.
The Import plan names a customer by Customer ID, and a rejected or ambiguous row of the other
book (which has none) by its company name or an org number quoted in it.
Erasing blanks the rows' cells where they are instead of moving the rows below up: the other
rows keep their row numbers (the Issues sheet's links and the columns crmbook does not know
stay aligned), and readers skip the empty rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import json_value
from crmbook.core.edits import Edit, SetCells
from crmbook.core.merge_values import name_key, org_key
from crmbook.core.register import Register, SheetData

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


def export_record(register: Register, customer_id: int, rows: dict[str, list[int]]) -> dict:
    """Everything on the customer, sheet by sheet, keyed by the headers as the book shows them."""
    sheets = {}
    for sheet, numbers in rows.items():
        data = register.sheets[sheet]
        sheets[data.name] = [_row_json(data, r) for r in numbers]
    return {"customer_id": customer_id, "sheets": sheets}


def _row_json(data: SheetData, row: int) -> dict[str, object]:
    values = data.frame.loc[row]
    out: dict[str, object] = {"row": row}
    for name in data.frame.columns:
        if name in data.columns:
            out[data.headers.get(name, name)] = cell_json(values[name])
    return out


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


def erase_edits(register: Register, rows: dict[str, list[int]]) -> list[Edit]:
    """Blank every known cell of the customer's rows, sheet by sheet."""
    edits: list[Edit] = []
    for sheet, numbers in rows.items():
        letters = register.sheets[sheet].columns.values()
        edits.append(SetCells(sheet, {(r, c): None for r in numbers for c in letters}))
    return edits
