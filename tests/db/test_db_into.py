"""``select URL --into BOOK.xlsx`` and ``report URL --into BOOK.xlsx``: the database's results
written into a workbook through the CLI, as the same command writes them on a pulled workbook
(its lock, its backup, its language), on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.db_push import init, push
from crmbook.actions.db_sync import pull
from crmbook.book import layout
from crmbook.book.backups import BACKUP_FOLDER
from crmbook.book.filebook import FileBook
from crmbook.book.reader import sheet_rows
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows
from tests.db.fixtures import copy
from tests.db.helpers import sql

#: The demo's own selection, and one SQL leaves to the engine (a sum of money).
SELECTIONS = ["Conference offer", "Big buyers"]


@pytest.fixture
def loaded(url: str, demo_books: dict[str, Path], tmp_path: Path) -> str:
    """The English demo in the database, with a selection computed in memory added."""
    source = copy(demo_books["en"], tmp_path / "source.xlsx")
    FileBook(source).apply([AppendRows(s.SELECTIONS, [
        ["Big buyers", 1, "Purchases total (NOK)", ">", "20 000"],
        ["Big buyers", 1, "Kjøpt produkt", "=", "Konferanse"],
    ])])  # fmt: skip
    init(url)
    push(FileBook(source), url, apply=True)
    return url


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.mark.parametrize("name", SELECTIONS)
def test_select_into_writes_recipients_as_select_on_a_pulled_workbook(
    loaded: str, demo_books: dict[str, Path], tmp_path: Path, name: str
) -> None:
    pulled = copy(demo_books["empty-en"], tmp_path / "pulled.xlsx")
    pull(FileBook(pulled), loaded)
    into = copy(demo_books["empty-en"], tmp_path / "into" / "results.xlsx")
    customers_before = sheet_rows(into, ["Customers"])["Customers"]
    code, out = invoke("select", loaded, "--selection", name, "--into", into, "--json")
    assert code == 0, out
    assert invoke("select", pulled, "--selection", name)[0] == 0
    recipients = sheet_rows(into, ["Recipients"])["Recipients"]
    assert recipients == sheet_rows(pulled, ["Recipients"])["Recipients"]
    chosen = json.loads(out)["customer_ids"]
    assert chosen and [int(r[0]) for r in recipients[1 : len(chosen) + 1]] == chosen
    assert sheet_rows(into, ["Customers"])["Customers"] == customers_before  # only Recipients
    assert len(list((into.parent / BACKUP_FOLDER).iterdir())) == 1


def test_select_into_a_norwegian_workbook_writes_norwegian(
    loaded: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    into = copy(demo_books["empty-nb"], tmp_path / "tom.xlsx")
    code, out = invoke("select", loaded, "--selection", "Conference offer", "--into", into)
    assert code == 0, out
    assert "De står på arket Mottakere" in out
    rows = sheet_rows(into, ["Mottakere"])["Mottakere"]
    assert rows[0][:10] == layout.headers(s.RECIPIENTS, "nb")
    assert rows[1][11] == "Kunder" and rows[0][11] == "Trakt: Conference offer"


def test_report_into_writes_the_report_sheet_as_on_a_pulled_workbook(
    loaded: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    pulled = copy(demo_books["empty-en"], tmp_path / "pulled.xlsx")
    pull(FileBook(pulled), loaded)
    into = copy(demo_books["empty-en"], tmp_path / "into.xlsx")
    code, out = invoke("report", loaded, "--into", into)
    assert code == 0, out
    assert "Written to the Report sheet." in out
    assert invoke("report", pulled)[0] == 0
    report = sheet_rows(into, ["Report"])["Report"]
    assert report == sheet_rows(pulled, ["Report"])["Report"] and len(report) > 10


def test_into_a_workbook_open_in_excel_is_refused_before_any_work(
    loaded: str, demo_books: dict[str, Path], tmp_path: Path
) -> None:
    into = copy(demo_books["empty-en"], tmp_path / "open.xlsx")
    (tmp_path / "~$open.xlsx").write_bytes(b"owner")
    before = into.read_bytes()
    for args in (["select", loaded, "--selection", SELECTIONS[0]], ["report", loaded]):
        code, out = invoke(*args, "--into", into)
        assert code == 1 and "open in Excel" in out, out
    assert into.read_bytes() == before
    assert sql(loaded, "SELECT COUNT(*) FROM log") == [(1,)]  # the database only read


@pytest.mark.parametrize("extra", [["--no-write"], ["--explain", "1"]], ids=["no-write", "explain"])
def test_into_with_an_option_that_only_prints_is_a_usage_error(
    loaded: str, demo_books: dict[str, Path], tmp_path: Path, extra: list[str]
) -> None:
    into = copy(demo_books["empty-en"], tmp_path / "x.xlsx")
    before = into.read_bytes()
    code, out = invoke("select", loaded, "--selection", SELECTIONS[0], "--into", into, *extra)
    assert code == 2 and "--into" in out
    assert into.read_bytes() == before


def test_into_on_a_workbook_is_a_usage_error(demo_books: dict[str, Path], tmp_path: Path) -> None:
    book = copy(demo_books["en"], tmp_path / "book.xlsx")
    into = copy(demo_books["empty-en"], tmp_path / "x.xlsx")
    for args in (["select", book, "--selection", "Conference offer"], ["report", book]):
        code, out = invoke(*args, "--into", into)
        assert code == 2 and "database URL" in out, out
