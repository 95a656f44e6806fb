"""The columns Brønnøysund fills travel through the database (migration 0002): a database at
version 1 upgrades, a workbook from before them pushes, a pull adds them to an old workbook,
and a sync sends an edit of one."""

from __future__ import annotations

from pathlib import Path

from crmbook.actions.db_push import init, push
from crmbook.actions.db_sync import pull, sync
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core.edits import SetCells
from crmbook.db.connect import connect
from crmbook.db.migrate import migrations, statements
from tests.db.fixtures import copy
from tests.db.helpers import customers, edit, sql

OLD = Path(__file__).parent.parent / "saft" / "brreg"


def _version_one(url: str) -> None:
    """A database as crmbook made it before issue 17: migration 0001 only."""
    db = connect(url)
    try:
        with db.transaction():
            db.execute("CREATE TABLE schema_version (version BIGINT PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at TEXT NOT NULL)")  # fmt: skip
            for statement in statements(migrations()[0][2]):
                db.execute(statement.rstrip(";"))
            db.execute("INSERT INTO schema_version VALUES (1, '0001_register.sql', 'then')")
    finally:
        db.close()


def test_an_old_database_and_an_old_workbook_carry_the_columns(url: str, tmp_path: Path) -> None:
    _version_one(url)
    assert "0002_registry_columns.sql" in init(url)
    old = copy(OLD / "register-before-issue-17.xlsx", tmp_path / "gammel.xlsx")
    push(FileBook(old), url, apply=True)
    assert sql(url, "SELECT COUNT(*) FROM customers WHERE industry_code IS NOT NULL") == [(0,)]
    sql(url, "UPDATE customers SET industry_code = '55.101', org_form = 'AS', turnover_year = "
             "2024, row_version = row_version + 1 WHERE customer_id = 1")  # fmt: skip
    view = copy(OLD / "empty-before-issue-17.xlsx", tmp_path / "avdeling.xlsx")
    pull(FileBook(view), url)
    header = read_register(view).sheets[s.CUSTOMERS]
    assert set(s.LATE[s.CUSTOMERS]) <= set(header.columns)  # added by the pull
    mine = customers(view)[1]
    assert (mine["Industry code"], mine["Org form"], mine["Turnover year"]) == ("55.101", "AS",
                                                                                2024)  # fmt: skip
    edit(view, {(1, "Industry code"): "55.102", (2, "Org form text"): "Aksjeselskap"})
    result = sync(FileBook(view))
    assert result.fields == 2
    assert sql(url, "SELECT industry_code FROM customers WHERE customer_id = 1") == [("55.102",)]
    assert sql(url, "SELECT org_form_text FROM customers WHERE customer_id = 2") == [
        ("Aksjeselskap",)]  # fmt: skip


def _forget_late_columns(book: Path) -> None:
    """Make a pulled workbook look pulled before issue 17: no late columns on Customers or
    Sync (their headers and cells blanked, as the sheets were then)."""
    register = read_register(book, [s.CUSTOMERS, s.SYNC], strict=False)
    edits = []
    for sheet in (s.CUSTOMERS, s.SYNC):
        data = register.sheets[sheet]
        rows = [1, *(int(r) for r in data.frame.index)]
        letters = [data.columns[f] for f in s.LATE[sheet]]
        edits.append(SetCells(sheet, {(r, x): None for r in rows for x in letters}))
    FileBook(book).apply(edits)
    again = read_register(book, [s.CUSTOMERS, s.SYNC], strict=False)
    assert not set(s.LATE[s.CUSTOMERS]) & set(again.sheets[s.SYNC].columns)


def test_a_workbook_pulled_before_the_columns_syncs_without_false_conflicts(
    url: str, tmp_path: Path
) -> None:
    init(url)
    push(FileBook(copy(OLD / "register-before-issue-17.xlsx", tmp_path / "a.xlsx")), url,
         apply=True)  # fmt: skip
    view = copy(OLD / "empty-before-issue-17.xlsx", tmp_path / "avdeling.xlsx")
    pull(FileBook(view), url)
    _forget_late_columns(view)
    for code in ("55.101", "55.102"):  # another department sets it, then changes it
        sql(url, "UPDATE customers SET industry_code = ?, row_version = row_version + 1 "
                 "WHERE customer_id = 1", (code,))  # fmt: skip
        result = sync(FileBook(view))
        assert (result.conflicts, result.fields) == (0, 0)
        assert customers(view)[1]["Industry code"] == code
    synced = read_register(view, [s.SYNC], strict=False).sheets[s.SYNC]
    assert set(s.LATE[s.SYNC]) <= set(synced.columns)
