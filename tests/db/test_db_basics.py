"""init, push and pull on SQLite and a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.db_push import init, push
from crmbook.actions.db_sync import pull
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.db.connect import DatabaseError, connect
from crmbook.db.migrate import migrations, require_current
from crmbook.errors import RefusedError
from tests.db.fixtures import copy, fresh_pg_database
from tests.db.helpers import customers, edit, import_rows, sql


def loaded(url: str, demo: Path, tmp_path: Path) -> Path:
    """The database initialised and loaded from a copy of ``demo``; that copy."""
    book = copy(demo, tmp_path / "source" / demo.name)
    init(url)
    push(FileBook(book), url, apply=True)
    return book


def test_init_creates_the_tables_once(url: str) -> None:
    shipped = migrations()
    assert {
        "0001_register.sql",
        "0002_registry_columns.sql",
        "0003_selection_indexes.sql",
        "0004_erasures.sql",
    } <= {m[1] for m in shipped}
    assert init(url) == [name for _, name, _ in shipped]
    assert init(url) == []
    versions = sql(url, "SELECT version FROM schema_version ORDER BY version")
    assert versions == [(version,) for version, _, _ in shipped]
    assert sql(url, "SELECT COUNT(*) FROM customers") == [(0,)]


def test_a_database_crmbook_never_initialised_is_refused(url: str) -> None:
    db = connect(url)
    with pytest.raises(DatabaseError, match="crmbook db init"):
        require_current(db)
    db.close()


def test_push_plans_on_the_import_sheet_then_applies(
    url: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    book = copy(demo_books["en"], tmp_path / "demo.xlsx")
    init(url)
    plan = push(FileBook(book), url)
    assert not plan.applied and len(plan.plan.new) > 0
    assert sql(url, "SELECT COUNT(*) FROM customers") == [(0,)]  # a plan writes nothing there
    assert import_rows(book)[0]["Action"] == "Source"
    done = push(FileBook(book), url, apply=True)
    valid = {cid for cid, rec in customers(book).items() if cid}
    assert sql(url, "SELECT COUNT(*) FROM customers") == [(len(done.plan.new),)]
    refused = {p.row for p in (*done.plan.rejected, *done.plan.ambiguous) if p.sheet == s.CUSTOMERS}
    assert len(done.plan.new) == len(valid) - len(refused)
    ids = {r[0] for r in sql(url, "SELECT customer_id FROM customers")}
    assert ids <= valid  # a first load keeps the workbook's Customer IDs
    again = push(FileBook(book), url, apply=True)
    assert again.plan.new == () and again.plan.changes == ()  # matched, nothing twice
    assert sql(url, "SELECT COUNT(*) FROM log") == [(2,)]


def test_values_are_stored_language_neutral(
    url: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    loaded(url, demo_books["nb"], tmp_path)
    statuses = {r[0] for r in sql(url, "SELECT DISTINCT status FROM customers")}
    assert statuses <= {"Customer", "Prospect", None}
    english = copy(demo_books["empty-en"], tmp_path / "en.xlsx")
    pull(FileBook(english), url)
    shown = {r["Status"] for r in customers(english).values()}
    assert shown <= {"Customer", "Prospect", None}


def test_pull_fills_a_department_and_remembers_the_database(
    url: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    loaded(url, demo_books["nb"], tmp_path)
    department = sql(url, "SELECT department FROM customers WHERE department IS NOT NULL")[0][0]
    want = {r[0] for r in sql(url, "SELECT customer_id FROM customers WHERE department = ?",
                              (department,))}  # fmt: skip
    book = copy(demo_books["empty-nb"], tmp_path / "avd.xlsx")
    result = CliRunner().invoke(main, ["db", "pull", url, str(book), "--department",
                                       department.upper()])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert set(customers(book)) == want
    register = read_register(book, [s.SYNC], strict=False)
    assert set(register.frame(s.SYNC)["Customer ID"].astype(int)) == want
    settings = read_register(book, [s.SETTINGS], strict=False).frame(s.SETTINGS)
    assert [url, department.upper()] == [
        settings.loc[settings["Setting"] == name, "Value"].iloc[0]
        for name in ("Database", "Databaseavdeling")
    ]
    purchases = read_register(book).frame(s.PURCHASES)
    assert set(purchases["Customer ID"].astype(int)) <= want


def test_pull_refuses_to_replace_customers_that_never_came_from_a_database(
    url: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    loaded(url, demo_books["en"], tmp_path)
    book = copy(demo_books["en"], tmp_path / "mine.xlsx")
    before = book.read_bytes()
    with pytest.raises(RefusedError, match="db push"):
        pull(FileBook(book), url)
    assert book.read_bytes() == before


def test_a_url_with_a_password_never_goes_into_a_workbook(
    demo_books: dict[str, Path], tmp_path: Path
) -> None:
    book = copy(demo_books["empty-en"], tmp_path / "e.xlsx")
    before = book.read_bytes()
    result = CliRunner().invoke(
        main, ["db", "pull", "postgresql://ola:secret@db.example/crm", str(book)]
    )
    assert result.exit_code == 1
    assert "password" in result.output and "secret" not in result.output
    assert book.read_bytes() == before


def test_select_on_the_database_matches_select_on_the_workbook(
    url: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    book = loaded(url, demo_books["en"], tmp_path)
    pulled = copy(demo_books["empty-en"], tmp_path / "pulled.xlsx")
    pull(FileBook(pulled), url)
    run = CliRunner()
    on_db = run.invoke(main, ["select", url, "--selection", "Conference offer", "--json"])
    on_book = run.invoke(main, ["select", str(pulled), "--selection", "Conference offer",
                                "--json", "--no-write"])  # fmt: skip
    assert on_db.exit_code == 0, on_db.output
    assert on_db.stdout == on_book.stdout
    assert '"count": 0' not in on_db.stdout
    report = run.invoke(main, ["report", url, "--json"])
    assert report.exit_code == 0, report.output
    assert book.exists()


def test_a_read_only_role_selects_reports_and_pulls_but_cannot_sync(
    postgres: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    url = fresh_pg_database(postgres)
    loaded(url, demo_books["en"], tmp_path)
    for statement in ("CREATE ROLE crm_reader LOGIN", "GRANT SELECT ON ALL TABLES IN SCHEMA "
                      "public TO crm_reader"):  # fmt: skip
        sql(url, statement)
    reader = url.replace("postgresql://postgres@", "postgresql://crm_reader@")
    run = CliRunner()
    chosen = run.invoke(main, ["select", reader, "--selection", "Conference offer", "--json"])
    assert chosen.exit_code == 0, chosen.output
    assert run.invoke(main, ["report", reader, "--json"]).exit_code == 0
    book = copy(demo_books["empty-en"], tmp_path / "reader.xlsx")
    assert run.invoke(main, ["db", "pull", reader, str(book)]).exit_code == 0
    cid = min(customers(book))
    edit(book, {(cid, "City"): "Lillehammer"})
    before = sql(url, "SELECT * FROM customers ORDER BY customer_id")
    refused = run.invoke(main, ["db", "sync", str(book)])
    assert refused.exit_code == 1 and "permission denied" in refused.output
    assert sql(url, "SELECT * FROM customers ORDER BY customer_id") == before
    assert customers(book)[cid]["City"] == "Lillehammer"  # the edit waits in the workbook


SELECTIONS = """
| Selection | Group | Field           | Operator  | Value        |
| Kjøpere   | 1     | Kjøpt produkt   | =         | Konferanse   |
| Kjøpere   | 2     | Mottatt tilbud  | <>        | Vinter 2025  |
| Store     | 1     | Ansatte         | >=        | 50           |
| Store     | 1     | Utvalg          | =         | Kjøpere      |
| Rart      | 1     | Skostørrelse    | =         | 42           |
"""


@pytest.mark.parametrize("name", ["Kjøpere", "Store", "Rart"])
def test_select_on_the_database_reads_only_what_the_selection_needs_and_agrees(
    url: str, demo_books: dict[str, Path], tmp_path: Path, name: str
) -> None:
    """Derived fields, a selection inside a selection, a field crmbook does not know: the
    database and the workbook give the same result (and the same error)."""
    from crmbook.actions.db_sync import sync
    from crmbook.core.edits import AppendRows
    from tests.registers import parse_table

    loaded(url, demo_books["nb"], tmp_path)
    book = copy(demo_books["empty-nb"], tmp_path / "nb.xlsx")
    pull(FileBook(book), url)
    FileBook(book).apply([AppendRows(s.SELECTIONS, parse_table(SELECTIONS)[1])])
    assert sync(FileBook(book)).sent.selections == 5
    run = CliRunner()
    on_db = run.invoke(main, ["select", url, "--selection", name, "--json"])
    on_book = run.invoke(main, ["select", str(book), "--selection", name, "--json",
                                "--no-write"])  # fmt: skip
    assert (on_db.exit_code, on_db.stdout) == (on_book.exit_code, on_book.stdout)
    if name == "Rart":
        assert on_db.exit_code == 2 and "Skostørrelse" in on_db.output
    else:
        assert on_db.exit_code == 0 and '"count": 0' not in on_db.stdout
