"""The Report reads at a glance and prints: styled headings and headers, formatted numbers,
fitted columns, the charts people look for, A4 print setup, and a PDF of at most 4 pages."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from crmbook.actions import report as action
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.book.report_pdf import report_pdf
from tests.office import needs_office
from tests.report.registers import TODAY


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = create(tmp_path_factory.mktemp("demo") / "crmbook.xlsx", demo=200, templates=False)
    action.run(FileBook(book), TODAY)
    return book


def _find(ws, text: str):
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


def test_title_headings_and_table_headers_are_styled(reported: Path) -> None:
    ws = openpyxl.load_workbook(reported)["Rapport"]
    title = ws["A1"]
    assert title.font.b and title.font.sz == 16
    heading = _find(ws, "Nøkkeltall")
    assert heading.font.b and heading.fill.fgColor.rgb == "FF1F4E79"
    band = ws.cell(heading.row, 5)  # the heading's band runs across the table's width
    assert band.fill.fgColor.rgb == "FF1F4E79"
    product = _find(ws, "Produkt")
    for cell in ws[product.row][:3]:
        assert cell.font.b and cell.fill.fgColor.rgb == "FFDDEBF7"
    assert not ws.cell(product.row + 1, 1).font.b  # the data under it is plain


def test_numbers_are_formatted_and_columns_fitted(reported: Path) -> None:
    ws = openpyxl.load_workbook(reported)["Rapport"]
    total = _find(ws, "Kjøp totalt (NOK)")
    assert ws.cell(total.row, 2).number_format == "#,##0"
    rate = _find(ws, "Svarprosent (%)")
    assert ws.cell(rate.row, 2).number_format == "0.0"
    assert ws.cell(2, 2).number_format == "dd.mm.yyyy"
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth}
    assert set("ABCDEFGHI") <= set(widths) and all(9 <= w <= 32 for w in widths.values())
    assert widths["A"] > widths["E"]  # company names need more room than amounts


def test_the_charts_people_look_for_are_on_top(reported: Path) -> None:
    with zipfile.ZipFile(reported) as z:
        charts = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/"))
    for title in (
        "Kjøp per produkt og år (NOK)",
        "Svarprosent per kampanje (%)",
        "Kjøp per bransje (NOK)",
        "Svarprosent per ansatteklasse (%)",
        "Svarprosent per omsetningsklasse (%)",
        "Topp 10 kunder etter kundeverdi (NOK)",
    ):
        assert title in charts


def test_a_rerun_leaves_no_format_of_the_last_run_behind(reported: Path, tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    book.write_bytes(reported.read_bytes())
    ws = openpyxl.load_workbook(book)["Rapport"]
    last = ws.max_row
    action.run(FileBook(book), TODAY)
    again = openpyxl.load_workbook(book)["Rapport"]
    assert again.max_row == last
    styles = [(c.font.b, c.fill.fgColor.rgb, c.number_format) for r in again.iter_rows() for c in r]
    first = [(c.font.b, c.fill.fgColor.rgb, c.number_format) for r in ws.iter_rows() for c in r]
    assert styles == first


def test_the_report_sheet_has_a4_print_setup_with_footer(reported: Path) -> None:
    ws = openpyxl.load_workbook(reported)["Rapport"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&A" in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text


@needs_office
def test_the_demo_report_prints_on_at_most_four_a4_pages(reported: Path, tmp_path: Path) -> None:
    pdf = report_pdf(reported, tmp_path / "rapport.pdf", "nb")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines() if "Pages" in line))
    assert 1 <= pages <= 4 and "A4" in info.stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Rapport: kunder, kjøp og svar" in text and "Nøkkeltall" in text
    assert "Kunder" not in text.split("Rapport: kunder")[0]  # no other sheet printed before it


@needs_office
def test_crmbook_report_pdf_prints_the_report_beside_the_workbook(
    reported: Path, tmp_path: Path
) -> None:
    import json

    from click.testing import CliRunner

    from crmbook.cli import main

    book = tmp_path / "kunder.xlsx"
    book.write_bytes(reported.read_bytes())
    done = CliRunner().invoke(main, ["report", str(book), "--pdf", "--json"])
    assert done.exit_code == 0, done.output
    printed = Path(json.loads(done.output)["pdf"])
    assert printed == tmp_path / "kunder rapport.pdf" and printed.read_bytes()[:5] == b"%PDF-"


def test_report_pdf_with_no_write_is_refused(reported: Path) -> None:
    from click.testing import CliRunner

    from crmbook.cli import main

    done = CliRunner().invoke(main, ["report", str(reported), "--pdf", "--no-write"])
    assert done.exit_code == 2 and "ta bort --no-write" in done.output


def test_every_role_a_report_cell_may_have_has_a_look() -> None:
    from crmbook.book.xlsx.roles import LOOKS
    from crmbook.core.edits import ROLES

    assert set(LOOKS) == set(ROLES)
