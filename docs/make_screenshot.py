"""Regenerate docs/report.png: the demo register's Report sheet as LibreOffice draws it.

    python docs/make_screenshot.py [OUT.png]

Runs ``crmbook demo`` (200 customers, validation, a selection, letters, an import, the report),
reruns the report as of a fixed day, hides every other sheet in a copy (so the PDF holds the
Report sheet only) and scales it to one page wide, then converts with LibreOffice (``soffice``)
and renders the first page with ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from crmbook.actions import report
from crmbook.book.filebook import FileBook
from crmbook.book.xlsx.package import MAIN_NS

DAY = dt.date(2026, 11, 22)
SHEET = "Rapport"
DPI = 96
_M = f"{{{MAIN_NS}}}"


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = [sys.executable, "-m", "crmbook", "demo", str(folder / "demo")]
        subprocess.run(demo, check=True, capture_output=True, timeout=600)
        book = folder / "demo" / "crmbook-demo.xlsx"
        report.run(FileBook(book), DAY)
        only = folder / "report.xlsx"
        report_only(book, only)
        subprocess.run(
            [_tool("soffice"), f"-env:UserInstallation={(folder / 'profile').as_uri()}",
             "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(only)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        subprocess.run(
            [_tool("pdftoppm"), "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
             str(folder / "report.pdf"), str(folder / "page")],
            check=True, timeout=300,
        )  # fmt: skip
        shutil.copyfile(folder / "page.png", out)
    print(out)


def report_only(book: Path, out: Path) -> None:
    """A copy of the workbook showing only the Report sheet, landscape, one page wide."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            data = src.read(name)
            if name == "xl/workbook.xml":
                data = _hide_others(data)
            elif name == _report_part(src):
                data = _one_page_wide(data)
            dst.writestr(name, data)


def _report_part(src: zipfile.ZipFile) -> str:
    book = etree.fromstring(src.read("xl/workbook.xml"))
    names = [s.get("name") for s in book.iter(f"{_M}sheet")]
    return f"xl/worksheets/sheet{names.index(SHEET) + 1}.xml"  # as `crmbook new` numbers them


def _hide_others(data: bytes) -> bytes:
    book = etree.fromstring(data)
    sheets = list(book.iter(f"{_M}sheet"))
    for sheet in sheets:
        if sheet.get("name") != SHEET:
            sheet.set("state", "hidden")
    index = [s.get("name") for s in sheets].index(SHEET)
    for view in book.iter(f"{_M}workbookView"):
        view.set("activeTab", str(index))
        view.set("firstSheet", str(index))
    return etree.tostring(book, xml_declaration=True, encoding="UTF-8", standalone=True)


def _one_page_wide(data: bytes) -> bytes:
    sheet = etree.fromstring(data)
    pr = sheet.find(f"{_M}sheetPr")
    if pr is None:
        pr = etree.Element(f"{_M}sheetPr")
        sheet.insert(0, pr)
    etree.SubElement(pr, f"{_M}pageSetUpPr", fitToPage="1")
    setup = etree.Element(f"{_M}pageSetup", orientation="landscape", fitToWidth="1")
    setup.set("fitToHeight", "0")
    sheet.find(f"{_M}pageMargins").addnext(setup)
    return etree.tostring(sheet, xml_declaration=True, encoding="UTF-8", standalone=True)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (LibreOffice for soffice, poppler-utils for pdftoppm)")
    return found


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("report.png"))
