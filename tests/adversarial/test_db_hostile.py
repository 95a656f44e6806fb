"""Hostile office cases for the shared database: passwords in cells, values that cannot be
stored, text that looks like SQL — on SQLite and a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.db_push import init, push
from crmbook.actions.db_sync import pull, sync
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, SetCells
from crmbook.errors import CrmbookError
from tests.db.fixtures import copy
from tests.db.helpers import customers, edit, sql


@pytest.fixture
def pulled(url: str, demo_books: dict[str, Path], tmp_path: Path) -> Path:
    source = copy(demo_books["en"], tmp_path / "source.xlsx")
    init(url)
    push(FileBook(source), url, apply=True)
    book = copy(demo_books["empty-en"], tmp_path / "dept.xlsx")
    pull(FileBook(book), url)
    return book


def _database_cell(book: Path, value: str) -> None:
    settings = read_register(book, [s.SETTINGS], strict=False).sheets[s.SETTINGS]
    row = int(settings.frame.index[settings.frame["Setting"] == "Database"][0])
    FileBook(book).apply([SetCells(s.SETTINGS, {(row, settings.columns["Value"]): value})])


def test_a_password_typed_into_the_database_cell_is_refused(url: str, pulled: Path) -> None:
    if url.startswith("sqlite"):
        pytest.skip("a SQLite URL has no password")
    _database_cell(pulled, url.replace("postgres@", "postgres:hemmelig@"))
    edit(pulled, {(min(customers(pulled)), "City"): "Molde"})
    before = sql(url, "SELECT * FROM customers ORDER BY customer_id")
    result = CliRunner().invoke(main, ["db", "sync", str(pulled)])
    assert result.exit_code == 1
    assert "password" in result.output and "hemmelig" not in result.output
    assert sql(url, "SELECT * FROM customers ORDER BY customer_id") == before


def test_a_database_cell_that_is_no_url_is_refused(pulled: Path) -> None:
    _database_cell(pulled, "C:\\Users\\ola\\register.db")
    with pytest.raises(CrmbookError, match="not a database URL"):
        sync(FileBook(pulled))


def test_a_value_that_cannot_be_stored_names_its_cell_and_sends_nothing(
    url: str, pulled: Path
) -> None:
    first, second = sorted(customers(pulled))[:2]
    edit(pulled, {(first, "City"): "Molde", (second, "Employees"): "mange"})
    before = sql(url, "SELECT * FROM customers ORDER BY customer_id")
    with pytest.raises(CrmbookError, match=r"Customers!R\d+.*'mange'.*Nothing was sent"):
        sync(FileBook(pulled))
    assert sql(url, "SELECT * FROM customers ORDER BY customer_id") == before


def test_text_that_looks_like_sql_is_stored_as_text(url: str, pulled: Path) -> None:
    hostile = "Robert'); DROP TABLE customers;--"
    cid = min(customers(pulled))
    edit(pulled, {(cid, "Notes"): hostile, (cid, "City"): "?"})
    FileBook(pulled).apply([AppendRows(s.CUSTOMERS, [[None, "=cmd|' /C calc'!A0"]])])
    sync(FileBook(pulled))
    assert sql(url, "SELECT notes, city FROM customers WHERE customer_id = ?", (cid,)) == [
        (hostile, "?")
    ]
    assert "=cmd|' /C calc'!A0" in {r["Company"] for r in customers(pulled).values()}
    department = CliRunner().invoke(main, ["db", "pull", url, str(pulled), "--department",
                                           "x' OR '1'='1"])  # fmt: skip
    assert department.exit_code == 0, department.output
    assert customers(pulled) == {}  # no department has that name: no customer pulled
