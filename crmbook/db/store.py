"""The register in the database, read as the same ``Register`` a workbook gives, and written
back row by row. Every statement is parameterised; callers hold the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence, Set

import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.register import Register, SheetData
from crmbook.db.connect import Db
from crmbook.db.tables import TABLES, Where, column, columns, from_db, to_db

LANG_SETTING = "crmbook.language"  # the settings table's row for the register's language
Record = Mapping[str, object]


def register_lang(db: Db, default: str = "nb") -> str:
    rows = db.rows("SELECT value FROM settings WHERE name = ?", [LANG_SETTING])
    return rows[0][0] if rows and rows[0][0] in layout.LANGS else default


def read(
    db: Db, lang: str | None = None, department: str | None = None,
    fields: Mapping[str, Set[str]] | None = None,
) -> Register:  # fmt: skip
    """The register (or one department's customers, with their purchases and mailings), with
    values in ``lang`` (default: the language it was pushed in). Row numbers are the rows the
    customers get on a pulled sheet (from 2, in Customer ID order). ``fields``: per sheet, the
    only fields to fetch (the others stay blank; none: no rows; a sheet left out: all)."""
    lang = lang or register_lang(db)
    where, params = _department(department)
    want = fields or {}
    sheets = {
        s.CUSTOMERS: _sheet(db, s.CUSTOMERS, lang, where, params, want.get(s.CUSTOMERS)),
        s.PURCHASES: _sheet(db, s.PURCHASES, lang, _of_customers(where), params,
                            want.get(s.PURCHASES)),
        s.MAILINGS: _sheet(db, s.MAILINGS, lang, _of_customers(where), params,
                           want.get(s.MAILINGS)),
        s.SELECTIONS: _sheet(db, s.SELECTIONS, lang, "", [], None),
    }  # fmt: skip
    settings = {n: v for n, v in db.rows("SELECT name, value FROM settings") if n in
                s.SETTING_NAMES}  # fmt: skip
    return Register(lang, sheets, _lists(db, lang), settings)


def selections(db: Db, lang: str | None = None) -> pd.DataFrame:
    """The Selections rows alone."""
    return _sheet(db, s.SELECTIONS, lang or register_lang(db), "", [], None).frame


def versions(db: Db, ids: Sequence[int] | None = None, *, lock: bool = False) -> dict[int, int]:
    """Customer ID -> row version (all customers, or ``ids``; ``lock``: held until commit)."""
    sql = "SELECT customer_id, row_version FROM customers"
    if ids is None:
        return dict(db.rows(sql))
    out: dict[int, int] = {}
    for chunk in _chunks(sorted(ids)):
        marks = ",".join("?" * len(chunk))
        order = " ORDER BY customer_id" + (db.for_update if lock else "")
        out.update(db.rows(f"{sql} WHERE customer_id IN ({marks}){order}", chunk))
    return out


def _chunks(ids: Sequence[int], size: int = 500) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def _department(department: str | None) -> tuple[str, list[object]]:
    if department is None:
        return "", []
    return " WHERE LOWER(department) = LOWER(?)", [department.strip()]


def _of_customers(where: str) -> str:
    if not where:
        return ""
    return f" WHERE customer_id IN (SELECT customer_id FROM customers{where})"


ORDER_KEYS = {s.CUSTOMERS: "customer_id", s.PURCHASES: "purchase_id", s.MAILINGS: "mailing_id",
              s.SELECTIONS: "position"}  # fmt: skip


def _sheet(
    db: Db, sheet: str, lang: str, where: str, params: list[object], only: Set[str] | None
) -> SheetData:
    fields = s.SHEET_FIELDS[sheet]
    read = [f for f in fields if only is None or f.name in only]
    cols = ", ".join(column(sheet, f) for f in read) if read else "1"
    sql = f"SELECT {cols} FROM {TABLES[sheet]}{where} ORDER BY {ORDER_KEYS[sheet]}"
    rows = db.execute(sql, params).fetchall() if only is None or only else []
    data = {f.name: _shown(f, [row[i] for row in rows], lang) for i, f in enumerate(read)}
    names = [f.name for f in fields]
    frame = pd.DataFrame(data, columns=names, index=pd.RangeIndex(2, 2 + len(rows)), dtype=object)
    letters = {name: layout.column_letter(i) for i, name in enumerate(names)}
    headers = {name: layout.header(sheet, name, lang) for name in names}
    return SheetData(sheet, layout.sheet_name(sheet, lang), frame, letters, headers)


def _shown(field: s.Field, values: list[object], lang: str) -> list[object]:
    """A column's database values as the workbook shows them: each distinct value converted
    once (a million rows hold a few hundred distinct list values)."""
    if field.kind not in (s.Kind.LIST, s.Kind.DATE, s.Kind.INTEGER, s.Kind.ID):
        return values
    table = {v: from_db(field, v, lang) for v in set(values) if v is not None}
    return [None if v is None else table[v] for v in values]


def _lists(db: Db, lang: str) -> dict[str, list[str]]:
    """Each list's default values, and for the editable lists also every value in use."""
    lists = {name: layout.list_values(name, lang) for name in s.LISTS_EN}
    for name, sql in (("industry", "SELECT DISTINCT industry FROM customers"),
                      ("product", "SELECT DISTINCT product FROM purchases")):  # fmt: skip
        field = s.field(s.CUSTOMERS if name == "industry" else s.PURCHASES, name.title())
        used = {from_db(field, v, lang) for (v,) in db.rows(sql) if v}
        lists[name] += sorted(str(v) for v in used - set(lists[name]))
    return lists


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def next_id(db: Db, table: str, key: str) -> int:
    return int(db.rows(f"SELECT COALESCE(MAX({key}), 0) FROM {table}")[0][0]) + 1


def insert(
    db: Db, sheet: str, records: Sequence[Record], lang: str, key: str | None = None,
    rows: Sequence[int | None] | None = None,
) -> None:  # fmt: skip
    """Add rows; ``key`` (purchase_id, position) is numbered on after the highest one;
    ``rows``: the records' workbook rows, named when a value cannot be stored."""
    fields = s.SHEET_FIELDS[sheet]
    names = columns(sheet)
    extra: list[str] = []
    if sheet == s.CUSTOMERS:
        extra = ["row_version", "updated_at"]
    first = next_id(db, TABLES[sheet], key) if key else 0
    data = []
    for n, rec in enumerate(records):
        row = rows[n] if rows else None
        values = [to_db(f, rec.get(f.name), lang, where(sheet, row, f.name, lang)) for f in fields]
        values += [1, now()] if extra else []
        data.append([first + n, *values] if key else values)
    cols = ([key] if key else []) + names + extra
    marks = ", ".join("?" * len(cols))
    db.many(f"INSERT INTO {TABLES[sheet]} ({', '.join(cols)}) VALUES ({marks})", data)


def update_customer(
    db: Db, customer_id: int, values: Record, lang: str, row: int | None = None
) -> None:
    """Set some fields of one customer (English field -> workbook value); the row version
    goes up by one. ``row``: the customer's workbook row, for messages."""
    fields = [s.field(s.CUSTOMERS, n) for n in values]
    sets = [f"{column(s.CUSTOMERS, f)} = ?" for f in fields]
    params = [to_db(f, values[f.name], lang, where(s.CUSTOMERS, row, f.name, lang))
              for f in fields]  # fmt: skip
    db.execute(
        f"UPDATE customers SET {', '.join(sets)}, row_version = row_version + 1, "
        "updated_at = ? WHERE customer_id = ?",
        [*params, now(), customer_id],
    )


def log(db: Db, event: str, source: str | None, details: str | None) -> None:
    db.execute(
        "INSERT INTO log (log_id, logged_at, event, source, details) VALUES (?, ?, ?, ?, ?)",
        [next_id(db, "log", "log_id"), now(), event, source, details],
    )


def where(sheet: str, row: int | None, field_name: str, lang: str) -> Where | None:
    """The workbook cell of a field in a row (None without a row)."""
    if row is None:
        return None
    names = [f.name for f in s.SHEET_FIELDS[sheet]]
    letter = layout.column_letter(names.index(field_name))
    return Where(layout.sheet_name(sheet, lang), row, letter)


def customers(db: Db, lang: str, ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """Customer ID -> English field -> value in ``lang``, for these customers."""
    fields = s.SHEET_FIELDS[s.CUSTOMERS]
    out: dict[int, dict[str, object]] = {}
    for chunk in _chunks(sorted(ids)):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {', '.join(columns(s.CUSTOMERS))} FROM customers WHERE customer_id IN"
        for row in db.execute(f"{sql} ({marks})", chunk):
            rec = {f.name: from_db(f, v, lang) for f, v in zip(fields, row, strict=True)}
            out[int(row[0])] = rec
    return out
