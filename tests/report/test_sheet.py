"""The report written to a real workbook: only Report changes, charts are native and replaced on
a rerun, and LibreOffice opens the result with its charts."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import python_calamine as calamine
from lxml import etree

from crmbook.actions import report as action
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.book.xlsx import workbook
from crmbook.book.xlsx.charts import C_NS, XDR_NS
from crmbook.book.xlsx.package import MAIN_NS, REL_NS, Package, rels_name
from crmbook.core import schema as s
from crmbook.core.edits import ReplaceCharts
from tests.office import convert, needs_office
from tests.report.registers import TODAY

#: Parts a report may change besides its sheet: the charts' parts and the package's lists.
CHANGED = re.compile(r"xl/(drawings|charts)/.*|\[Content_Types\]\.xml|xl/styles\.xml")


def report_part(path: Path) -> str:
    """The Rapport sheet's part (its place in the zip depends on the sheets before it)."""
    package = Package(path)
    try:
        return workbook.sheets(package)["Rapport"]
    finally:
        package.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create(tmp_path_factory.mktemp("demo") / "crmbook.xlsx", demo=200, templates=False)


@pytest.fixture
def book(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / demo.name
    copy.write_bytes(demo.read_bytes())
    return copy


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def anchors(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as z:
        drawings = [n for n in z.namelist() if n.startswith("xl/drawings/drawing")]
        assert len(drawings) == 1
        return list(etree.fromstring(z.read(drawings[0])))


def test_only_the_report_sheet_and_its_charts_change(book: Path) -> None:
    before = members(book)
    action.run(FileBook(book), TODAY)
    after = members(book)
    part = report_part(book)
    sheet_rels = rels_name(part)
    assert sorted(n for n in after if n not in before) == sorted(
        [
            *(f"xl/charts/chart{n}.xml" for n in range(1, 7)),
            "xl/drawings/_rels/drawing1.xml.rels",
            "xl/drawings/drawing1.xml",
            sheet_rels,
        ]
    )
    unchanged = [n for n in before if not CHANGED.fullmatch(n) and n not in (part, sheet_rels)]
    assert len(unchanged) > 10 and all(after[n] == before[n] for n in unchanged)
    drawing = etree.fromstring(after[part]).find(f"{{{MAIN_NS}}}drawing")
    assert drawing is not None and drawing.get(f"{{{REL_NS}}}id") == "rId1"


def test_the_sheet_reads_back_with_numbers_and_dates(book: Path) -> None:
    action.run(FileBook(book), TODAY)
    rows = _report_rows(book)
    assert rows[0][0] == "Rapport: kunder, kjøp og svar"
    assert rows[1][:2] == ["Laget", TODAY]
    key = {r[0]: r[1] for r in rows if len(r) > 1 and r[0] in ("Kunder", "Sendte brev")}
    assert key == {"Kunder": 155.0, "Sendte brev": 45.0}


def _report_rows(path: Path) -> list[list[object]]:
    sheet = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Rapport")
    return [[c for c in r] for r in sheet.to_python(skip_empty_area=False)]


def test_a_rerun_replaces_the_charts_and_keeps_the_users_drawings(book: Path) -> None:
    action.run(FileBook(book), TODAY)
    _add_user_shape(book)
    action.run(FileBook(book), TODAY)
    after = members(book)
    assert sorted(n for n in after if n.startswith("xl/charts/")) == [
        f"xl/charts/chart{n}.xml" for n in range(1, 7)
    ]
    names = [a.find(f".//{{{XDR_NS}}}cNvPr").get("name") for a in anchors(book)]
    assert names == ["My arrow", *(f"crmbook chart {n}" for n in range(1, 7))]
    types = after["[Content_Types].xml"].decode()
    assert types.count("/xl/charts/chart1.xml") == 1 and types.count("drawing1.xml") == 1
    FileBook(book).apply([ReplaceCharts(s.REPORT, [])])
    assert [n for n in members(book) if n.startswith("xl/charts/")] == []
    assert len(anchors(book)) == 1
    assert "chart" not in members(book)["[Content_Types].xml"].decode()


def _add_user_shape(path: Path) -> None:
    """Put a shape of the user's own in the Report sheet's drawing, as Excel would."""
    parts = members(path)
    drawing = etree.fromstring(parts["xl/drawings/drawing1.xml"])
    shape = etree.fromstring(
        f'<xdr:absoluteAnchor xmlns:xdr="{XDR_NS}"><xdr:pos x="0" y="0"/>'
        '<xdr:ext cx="10" cy="10"/><xdr:sp macro="" textlink=""><xdr:nvSpPr>'
        '<xdr:cNvPr id="9" name="My arrow"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/></xdr:sp>'
        "<xdr:clientData/></xdr:absoluteAnchor>"
    )
    drawing.insert(0, shape)
    parts["xl/drawings/drawing1.xml"] = etree.tostring(drawing)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_the_charts_are_bar_charts_on_the_reports_own_cells(book: Path) -> None:
    action.run(FileBook(book), TODAY)
    chart = etree.fromstring(members(book)["xl/charts/chart1.xml"])
    refs = [f.text for f in chart.iter(f"{{{C_NS}}}f")]
    assert chart.find(f".//{{{C_NS}}}barChart") is not None
    assert refs and all(re.fullmatch(r"'Rapport'!\$[A-Z]\$\d+:\$[A-Z]\$\d+", r) for r in refs)


@pytest.mark.libreoffice
@needs_office
def test_libreoffice_opens_the_report_with_its_charts(book: Path, tmp_path: Path) -> None:
    action.run(FileBook(book), TODAY)
    (out,) = convert([book], "ods", tmp_path / "ods", profile=tmp_path / "profile")
    with zipfile.ZipFile(out) as z:
        objects = [n for n in z.namelist() if re.fullmatch(r"Object \d+/content\.xml", n)]
        charts = [z.read(n).decode() for n in objects]
        content = z.read("content.xml").decode()
    assert len(charts) == 6 and all("<chart:chart" in c for c in charts)
    assert "Svarprosent per kampanje (%)" in "".join(charts)
    ranges = re.findall(r'draw:notify-on-update-of-ranges="([^"]*)"', content)
    assert len(ranges) == 6 and all(r.startswith("Rapport.A") for r in ranges)
