"""The Report sheet's rows and charts: headings in the workbook's language, charts on the tables."""

from __future__ import annotations

import datetime as dt
import re

from crmbook.core import report
from crmbook.core.report_layout import CHART_ROWS, sheet_report
from tests.registers import register
from tests.report.registers import CUSTOMERS, MAILINGS, PURCHASES, TODAY, small


def cells(rows: list[list[object]], ref: str) -> list[object]:
    """The values of a one-column range like 'B5:B9' in the laid-out rows."""
    match = re.fullmatch(r"([A-Z])(\d+):[A-Z](\d+)", ref)
    assert match is not None
    index, first, last = ord(match[1]) - 65, int(match[2]), int(match[3])
    return [rows[r - 1][index] for r in range(first, last + 1)]


def test_heading_date_and_key_figures_in_english() -> None:
    sheet = sheet_report(report.compute(small(), TODAY), "en")
    assert sheet.values[0] == ["Report: customers, purchases and responses"]
    assert sheet.values[1] == ["Made", TODAY]
    assert sheet.values[2] == ["Last 12 months from", dt.date(2025, 7, 1)]
    assert ["Purchases total (NOK)", 7600] in sheet.values
    assert ["Response rate (%)", 40.0] in sheet.values
    assert ["Autumn", "1–9", 0, 0, 0, 0, 0, None, None] in sheet.values  # no letters: no rates
    assert ["Autumn", "(blank)", 1, 1, 1, 0, 0, 0.0, 0.0] in sheet.values


def test_norwegian_workbook_gets_norwegian_words_and_values() -> None:
    book = register(CUSTOMERS, PURCHASES, MAILINGS, lang="nb")
    sheet = sheet_report(report.compute(book, TODAY), "nb")
    assert sheet.values[0] == ["Rapport: kunder, kjøp og svar"]
    assert ["Kjøp totalt (NOK)", 7600] in sheet.values
    assert ["Produkt", "2024", "2025", "2026", "Totalt"] in sheet.values
    assert ["Konferanse", 3000, 2000, 1700, 6700] in sheet.values
    assert any(r[:1] == ["(tom)"] for r in sheet.values)
    assert sheet.charts[0].title == "Kjøp per produkt og år (NOK)"


def test_charts_point_at_their_tables_in_the_rows_reserved_above() -> None:
    sheet = sheet_report(report.compute(small(), TODAY), "en")
    products, responses = sheet.charts[:2]
    assert cells(sheet.values, products.categories) == [
        "Conference",
        "Accommodation",
        "Meeting room",
        "Banquet",
        "Restaurant",
    ]
    assert [name for name, _ in products.series] == ["2024", "2025", "2026"]
    assert cells(sheet.values, products.series[1][1]) == [2000, 0, 0, 500, 0]
    assert cells(sheet.values, responses.categories) == ["Autumn", "Spring"]
    assert [cells(sheet.values, ref) for _, ref in responses.series] == [[0.0, 66.7], [0.0, 33.3]]
    first = int(products.anchor[1:])
    assert (products.anchor[0], responses.anchor) == ("A", f"E{first}")
    reserved = sheet.values[first - 1 : first - 1 + CHART_ROWS]
    assert all(r == [] for r in reserved) and sheet.values[first - 2] == []


def test_no_data_no_charts() -> None:
    sheet = sheet_report(report.compute(register(), TODAY), "en")
    assert sheet.charts == []
    assert ["Customers", 0] in sheet.values
