"""`crmbook report` on demo workbooks built by `crmbook.book.builder.create(path, demo=200)`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.book.builder import create
from crmbook.cli import main


@pytest.fixture(scope="module", params=["nb", "en"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(request.param) / f"demo-{request.param}.xlsx"
    return create(path, lang=request.param, demo=200, templates=False)


@pytest.fixture
def book(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / demo.name
    copy.write_bytes(demo.read_bytes())
    return copy


def test_report_fills_the_sheet_and_says_so(book: Path) -> None:
    done = CliRunner().invoke(main, ["report", str(book)])
    assert done.exit_code == 0, done.output
    if book.name.endswith("-nb.xlsx"):
        assert "Kunder: 155" in done.output and "Skrevet til arket Rapport." in done.output
    else:
        assert "Customers: 155" in done.output and "Written to the Report sheet." in done.output
    assert (book.parent / "backups").is_dir()


def test_json_gives_the_figures_and_no_write_leaves_the_book_alone(book: Path) -> None:
    before = book.read_bytes()
    done = CliRunner().invoke(main, ["report", str(book), "--json", "--no-write"])
    assert done.exit_code == 0, done.output
    assert book.read_bytes() == before and not (book.parent / "backups").exists()
    data = json.loads(done.output)
    assert data["summary"]["customers"] == 155 and data["summary"]["letters_sent"] == 45
    assert len(data["top_customers_total"]) == 20
    assert [g["value"] for g in data["groups"]["employee_band"]][:5] == [
        "1–9",
        "10–49",
        "50–99",
        "100–499",
        "≥500",
    ]
    assert data["purchases_per_product"][0]["product"] == "Conference"
    (campaign,) = data["campaigns"]
    assert campaign["no_response"] + campaign["negative"] + campaign["positive"] == 45
    assert data["customer_value"]["expected_customer_years"] == 5.0
    assert data["customer_value"]["top"][0]["lifetime_value_nok"] > 0


def test_a_workbook_open_elsewhere_is_refused(book: Path) -> None:
    (book.parent / f".~lock.{book.name}#").write_text("someone")
    done = CliRunner().invoke(main, ["report", str(book)])
    assert done.exit_code == 1
    assert "Excel" in done.output and "LibreOffice" in done.output  # in the book's language


def test_a_missing_workbook_is_a_usage_error(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["report", str(tmp_path / "nope.xlsx")])
    assert done.exit_code == 2
    assert "no such file" in done.output
