"""Erasure through the CLI after every command has quoted the customer somewhere: the Report's
top-20 tables, the Recipients of a selection, the Issues sheet. Afterwards no cell outside the
Log holds their company, email or org number. Two customers under one ID are refused."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from crmbook.book.builder import create
from crmbook.cli import main
from crmbook.core import schema as s
from tests.importing.helpers import customers, edit


def run(*args: object) -> tuple[int, str]:
    done = CliRunner().invoke(main, [*map(str, args)])
    return done.exit_code, done.output


def cells(book: Path) -> dict[str, list[str]]:
    """Every non-empty cell of every sheet, as text."""
    wb = CalamineWorkbook.from_path(str(book))
    return {
        name: [str(v) for row in wb.get_sheet_by_name(name).to_python() for v in row if v != ""]
        for name in wb.sheet_names
    }


def test_erase_leaves_no_trace_on_report_recipients_or_issues(tmp_path: Path) -> None:
    book = create(tmp_path / "east.xlsx", lang="nb", demo=40, seed=3)
    code, out = run("report", book, "--json")
    assert code == 0, out
    top = json.loads(out)["top_customers_total"][0]
    cid = int(top["customer_id"])
    person = customers(book)[cid]
    row = next(r for r, v in enumerate(customers(book), 2) if v == cid)
    edit(book, s.CUSTOMERS, {(row, "Email"): "kari.slettes@", (row, "Status"): "Kunde\u200b?"})
    assert run("validate", book)[0] == 1  # the Issues sheet quotes the bad email
    assert run("select", book, "--selection", "Konferansetilbud")[0] == 0
    traces = {str(person["Company"]), "kari.slettes@"}
    before = cells(book)
    assert any(t in before[name] for name in ("Rapport", "Kontroll") for t in traces)
    code, out = run("customer", "erase", book, cid)
    assert code == 0, out
    assert "Arket Rapport er laget på nytt uten kunden." in out
    after = cells(book)
    left = {name: [v for v in values if v in traces] for name, values in after.items()}
    assert not any(found for name, found in left.items() if name != "Logg"), left
    assert len(after["Rapport"]) > len(before["Rapport"]) / 2  # the others' figures remain


def test_two_customers_with_one_id_are_refused_by_export_and_erase(tmp_path: Path) -> None:
    book = create(tmp_path / "east.xlsx", lang="en", demo=20, seed=3)
    edit(book, s.CUSTOMERS, {(7, "Customer ID"): 3})  # row 4 has Customer ID 3 already
    before = book.read_bytes()
    for command in ("export", "erase"):
        code, out = run("customer", command, book, 3)
        assert code == 1, out
        assert "Customer ID 3 is on 2 rows of the sheet 'Customers' (rows 4 & 7)" in out
        assert "Run crmbook validate" in out and "Traceback" not in out
    assert book.read_bytes() == before
    assert not list(tmp_path.glob("*.json"))
