"""The ribbon's Database group (Pull and Sync) on the fake of xlwings, against a real SQLite
register; and what importing the entry points may load (SPEC §5: an entry point's import is
quick, the work's libraries load when a button needs them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from crmbook import excel
from crmbook.actions.db_push import init, push
from crmbook.addin import build
from crmbook.addin.texts import TEXTS
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.cli import main
from tests.addin.test_excel import open_in_fake_excel
from tests.db.helpers import sql


@pytest.fixture
def linked(tmp_path: Path) -> tuple[str, Path]:
    """A register in SQLite and a department's workbook pulled from it (so linked)."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    source = create(tmp_path / "source" / "kunder.xlsx", demo=30, seed=4, templates=False)
    init(url)
    push(FileBook(source), url, apply=True)
    book = create(tmp_path / "salg" / "salg.xlsx", templates=False)
    done = CliRunner().invoke(main, ["db", "pull", url, str(book)])
    assert done.exit_code == 0, done.output
    return url, book


def customer_cell(book: object, customer_id: int, header: str) -> tuple[int, int]:
    cells = book.sheets["Kunder"].cells  # type: ignore[attr-defined]
    col = next(c for (r, c), v in cells.items() if r == 1 and v == header)
    row = next(r for (r, c), v in cells.items() if c == 1 and r > 1 and v == customer_id)
    return row, col


def test_sync_sends_an_edit_made_in_excel_and_says_to_save(
    linked: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, path = linked
    cid = sql(url, "SELECT MIN(customer_id) FROM customers")[0][0]
    book = open_in_fake_excel(path, monkeypatch)
    book.sheets["Kunder"].put(*customer_cell(book, float(cid), "Poststed"), "Tromsø")
    excel.db_sync()
    ((message, title, mode),) = book.app.alerts
    assert (title, mode) == ("crmbook", "info"), message
    assert "Sendt 1 endrede felt" in message and "Lagre arbeidsboka" in message
    assert sql(url, "SELECT city FROM customers WHERE customer_id = ?", (cid,)) == [("Tromsø",)]


def test_pull_fills_the_workbook_from_its_database(
    linked: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, path = linked
    cid = sql(url, "SELECT MIN(customer_id) FROM customers")[0][0]
    sql(url, "UPDATE customers SET city = 'Vardø', row_version = row_version + 1 "
             "WHERE customer_id = ?", (cid,))  # fmt: skip
    book = open_in_fake_excel(path, monkeypatch)
    excel.db_pull()
    ((message, _, mode),) = book.app.alerts
    count = sql(url, "SELECT COUNT(*) FROM customers")[0][0]
    assert mode == "info" and f"{count} kunder hentet" in message, message
    assert book.sheets["Kunder"].cells[customer_cell(book, float(cid), "Poststed")] == "Vardø"


@pytest.mark.parametrize("button", ["db_pull", "db_sync"])
def test_a_workbook_without_a_database_is_told_what_to_do(
    button: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = create(tmp_path / "kunder.xlsx", demo=5, templates=False)
    book = open_in_fake_excel(path, monkeypatch)
    getattr(excel, button)()
    ((message, _, mode),) = book.app.alerts
    assert mode == "critical"
    assert "ikke koblet til en felles database" in message
    assert f'crmbook db pull URL "{path}"' in message


def test_the_database_group_shows_only_for_a_linked_workbook() -> None:
    """The group's visibility is the VBA's HasDatabase (the Settings row Database), and its
    texts exist in both languages."""
    ribbon = etree.fromstring(build.ribbon_xml())
    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    group = ribbon.find(".//c:group[@id='crmDatabaseGroup']", ns)
    assert group is not None and group.get("getVisible") == "CrmDatabaseVisible"
    assert [b.get("id") for b in group] == ["crmPull", "crmSync"]
    assert ribbon.get("onLoad") == "CrmRibbonLoaded"
    source = build.callbacks_source()
    assert "visible = HasDatabase()" in source and '"|database|"' in source
    assert 'InvalidateControl "crmDatabaseGroup"' in source
    for control in ("crmDatabaseGroup", "crmPull", "crmSync"):
        assert all(TEXTS[f"{control}.label"])
    for control in ("crmPull", "crmSync"):
        assert all(TEXTS[f"{control}.screentip"]) and all(TEXTS[f"{control}.supertip"])


HEAVY = (
    *("pandas", "numpy", "docxtpl", "docx", "jinja2", "lxml", "openpyxl", "python_calamine"),
    *("xlwings", "psycopg", "sqlite3", "phonenumbers", "email_validator", "click", "rich"),
)


def test_importing_the_entry_points_loads_none_of_the_heavy_libraries() -> None:
    """SPEC §5 (importing an Excel entry point ≤ 0.25 s): the VBA's `import crmbook.excel`
    loads no data, letter, XML, database or Excel library; each button imports what it needs."""
    code = f"import sys, crmbook.excel\nprint(sorted(set({HEAVY!r}) & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
