"""Every sheet of a new workbook prints on A4, fitted to the page's width, with the header row
repeated and a footer naming the sheet and the page (read from the sheet XML itself)."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from crmbook.book.builder import create

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, etree._Element]:
    """Each sheet's XML by its name, and the workbook's defined names under ''."""
    book = create(tmp_path_factory.mktemp("p") / "b.xlsx", lang="en", demo=30, templates=False)
    with zipfile.ZipFile(book) as z:
        wb = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = {"": wb}
        for sheet in wb.iter(f"{M}sheet"):
            part = target[sheet.get(f"{R}id")].lstrip("/")
            part = part if part.startswith("xl/") else "xl/" + part
            out[sheet.get("name")] = etree.fromstring(z.read(part))
    return out


def test_every_sheet_has_a4_fit_to_width_and_a_footer(sheets: dict[str, etree._Element]) -> None:
    names = [n for n in sheets if n]
    assert len(names) >= 10
    for name in names:
        root = sheets[name]
        setup = root.find(f"{M}pageSetup")
        assert setup is not None, name
        assert setup.get("paperSize") == "9", name
        assert (setup.get("fitToWidth"), setup.get("fitToHeight")) == ("1", "0"), name
        assert root.find(f"{M}sheetPr/{M}pageSetUpPr").get("fitToPage") in ("1", "true"), name
        assert root.find(f"{M}printOptions") is not None, name
        footer = root.find(f"{M}headerFooter/{M}oddFooter").text
        assert "&A" in footer and "&P" in footer and "&N" in footer, name


def test_wide_sheets_print_landscape_and_the_report_portrait(
    sheets: dict[str, etree._Element],
) -> None:
    def orientation(name: str) -> str:
        return sheets[name].find(f"{M}pageSetup").get("orientation")

    assert orientation("Customers") == "landscape" and orientation("Mailings") == "landscape"
    assert orientation("Report") == orientation("Start") == orientation("Settings") == "portrait"


def test_header_rows_repeat_on_every_page_of_the_data_sheets(
    sheets: dict[str, etree._Element],
) -> None:
    titles = {
        int(d.get("localSheetId")): d.text
        for d in sheets[""].iter(f"{M}definedName")
        if d.get("name") == "_xlnm.Print_Titles"
    }
    order = [s.get("name") for s in sheets[""].iter(f"{M}sheet")]
    repeated = {order[i] for i, text in titles.items() if re.search(r"\$1:\$1$", text)}
    assert {"Customers", "Purchases", "Mailings", "Selections", "Settings"} <= repeated
    assert "Start" not in repeated and "Report" not in repeated
