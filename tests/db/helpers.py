"""Reading and editing both sides of a database test: raw SQL straight through sqlite3 or
psycopg (not crmbook's layer), and workbook edits written as a person's save would be."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

from crmbook.actions.db_push import init, push
from crmbook.actions.db_sync import pull
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import SetCells


def sql(url: str, query: str, params: tuple = ()) -> list[tuple]:
    """Rows of a query, run directly on the database (``?`` placeholders)."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///") :])
        try:
            with conn:
                return conn.execute(query, params).fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(query.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []


def customers(book: Path) -> dict[int, dict[str, object]]:
    """The workbook's customers by Customer ID (English fields, raw values)."""
    frame = read_register(book, strict=False).frame(s.CUSTOMERS)
    return {typed.integer(r["Customer ID"]): r for r in frame.to_dict("records")}


def edit(book: Path, changes: Mapping[tuple[int, str], object], sheet: str = s.CUSTOMERS) -> None:
    """Type new values into cells: (Customer ID, English field) -> value."""
    register = read_register(book, strict=False)
    data = register.sheets[sheet]
    ids = data.frame["Customer ID"].map(typed.integer)
    cells = {}
    for (cid, field), value in changes.items():
        row = int(ids.index[ids == cid][0])
        cells[(row, data.columns[field])] = value
    FileBook(book).apply([SetCells(sheet, cells)])


def import_rows(book: Path) -> list[dict[str, object]]:
    """The Import sheet's rows (English fields)."""
    register = read_register(book, [s.IMPORT], strict=False)
    return register.frame(s.IMPORT).to_dict("records")


def set_choice(book: Path, customer_id: int, choice: str) -> None:
    """Type a choice into the Import sheet's row of a customer's conflict."""
    register = read_register(book, [s.IMPORT], strict=False)
    data = register.sheets[s.IMPORT]
    ids = data.frame["Customer ID"].map(typed.integer)
    row = int(ids.index[ids == customer_id][0])
    FileBook(book).apply([SetCells(s.IMPORT, {(row, data.columns["Choice"]): choice})])


def departments(
    url: str, demo_books: Mapping[str, Path], folder: Path, *books: tuple[str, str]
) -> list[Path]:
    """The English demo register loaded into the database at ``url``, then pulled into one
    empty workbook per (file name, language) in ``books``: departments sharing the register."""
    from tests.db.fixtures import copy

    init(url)
    push(FileBook(copy(demo_books["en"], folder / "source.xlsx")), url, apply=True)
    pulled = []
    for name, lang in books:
        book = copy(demo_books[f"empty-{lang}"], folder / name)
        pull(FileBook(book), url)
        pulled.append(book)
    return pulled
