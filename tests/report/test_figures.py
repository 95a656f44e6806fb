"""The report's figures against values computed by hand on the small register (registers.py).

Today is 2026-06-30, so the last 12 months run from 2025-07-01 to 2026-06-30 inclusive.
Per customer: 1 bought 1,500 in the last 12 months and 3,500 in all; 2 bought 3,000 (in 2024);
3 bought 400, dated after today (totals only); 4 is a prospect without purchases; Customer ID 99
is not on Customers (its 700 count for products and key figures, not for any customer).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from crmbook.core import report
from crmbook.core.report_value import Assumptions, assumptions
from tests.registers import register
from tests.report.registers import TODAY, small

RECENT, TOTAL, AVG = report.RECENT, report.TOTAL, report.AVERAGE_PROFIT


def rows(frame: pd.DataFrame) -> list[list[object]]:
    """A table's cells with NaN as None, for exact comparisons."""
    return [
        [None if isinstance(v, float) and math.isnan(v) else v for v in r]
        for r in frame.itertuples(index=False)
    ]


def test_the_last_12_months_end_today_and_begin_a_year_before() -> None:
    assert report.year_before(TODAY) == dt.date(2025, 7, 1)
    assert report.year_before(dt.date(2028, 2, 29)) == dt.date(2027, 3, 1)


def test_key_figures() -> None:
    figures = report.compute(small(), TODAY)
    assert figures.summary == {
        "Customers": 3,  # "Kunde" is Customer
        "Prospects": 1,
        "Customers with purchases": 3,
        RECENT: 2200,  # 1,000 + 500 + 700 (customer 99)
        TOTAL: 7600,
        "Letters sent": 6,
        "Response rate (%)": 40.0,  # 2 answered of 5 recipients (3 in Spring, 2 in Autumn)
    }


def test_top_customers_leave_out_those_who_bought_nothing() -> None:
    figures = report.compute(small(), TODAY)
    assert rows(figures.top_recent) == [["Fjord AS", 1, 1500, 3500, 5_000_000, 10]]
    assert rows(figures.top_total) == [
        ["Fjord AS", 1, 1500, 3500, 5_000_000, 10],
        ["Berg AS", 2, 0, 3000, 60_000_000, None],
        ["Dal AS", 3, 0, 400, None, 20],
    ]


def test_bands_list_every_band_also_empty_ones_and_blank_last() -> None:
    groups = report.compute(small(), TODAY).groups
    assert rows(groups["Turnover band"]) == [
        ["<10 M", 1, 1500, 3500, 10.0],  # band from Turnover (NOK) 5,000,000
        ["10–49 M", 0, 0, 0, None],
        ["50–99 M", 1, 0, 3000, None],
        ["100–499 M", 0, 0, 0, None],
        ["≥500 M", 0, 0, 0, None],
        [None, 2, 0, 400, 20.0],
    ]
    assert rows(groups["Employee band"]) == [
        ["1–9", 0, 0, 0, None],
        ["10–49", 1, 0, 3000, None],  # written "10-49"
        ["50–99", 0, 0, 0, None],
        ["100–499", 1, 1500, 3500, 10.0],  # from 120 employees
        ["≥500", 0, 0, 0, None],
        [None, 2, 0, 400, 20.0],  # 0 employees have no band
    ]


def test_industries_in_list_order_groups_and_departments_by_purchases() -> None:
    groups = report.compute(small(), TODAY).groups
    industry = {r[0]: r[1:] for r in rows(groups["Industry"])}
    assert industry["IT"] == [1, 1500, 3500, 10.0]
    assert industry["Finance"] == [1, 0, 3000, None]  # written "Finans"
    assert industry["Retail"] == [1, 0, 400, 20.0]
    assert industry["Health"] == [0, 0, 0, None]
    assert industry[None] == [1, 0, 0, None]
    assert list(industry)[:2] == ["Construction", "Consulting"]
    assert rows(groups["Group"]) == [["Nord Gruppen", 2, 1500, 6500, 10.0], [None, 2, 0, 400, 20.0]]
    assert rows(groups["Department"]) == [
        ["Salg Øst", 2, 1500, 3900, 15.0],
        ["Salg Vest", 1, 0, 3000, None],
        [None, 1, 0, 0, None],
    ]


def test_purchases_per_product_and_year() -> None:
    products = report.compute(small(), TODAY).products
    assert list(products.columns) == ["Product", "2024", "2025", "2026", "Total"]
    assert rows(products) == [
        ["Conference", 3000, 2000, 1700, 6700],  # "Konferanse" is Conference
        ["Accommodation", 0, 0, 0, 0],
        ["Meeting room", 0, 0, 0, 0],
        ["Banquet", 0, 500, 0, 500],
        ["Restaurant", 0, 0, 400, 400],
    ]


def test_every_year_from_the_first_to_the_last_purchase_is_a_column() -> None:
    purchases = """
    | Customer ID | Date       | Product    | Amount (NOK) |
    | 1           | 2023-05-01 | Conference | 100          |
    | 1           | 2025-05-01 | Conference | 200          |
    | 1           | 2026-05-01 | Banquet    | 300          |
    """
    products = report.compute(register(purchases=purchases), TODAY).products
    assert list(products.columns) == ["Product", "2023", "2024", "2025", "2026", "Total"]
    assert rows(products)[0] == ["Conference", 100, 0, 200, 0, 300]


def test_lifetime_value_from_the_settings() -> None:
    settings = {"Expected customer years": 4, "Default margin (%)": "5 %"}
    figures = report.compute(small(settings), TODAY)
    assert figures.assumptions == Assumptions(expected_years=4, default_margin_pct=5)
    # 1: one year (365 days, at least one) × 3,500 × 10 % × 4 years
    # 3: first purchase after today: one year × 400 × 20 % × 4
    # 2: 3,000 over 897/365.25 years = 1,221.57 a year × 5 % (default) × 4
    assert rows(figures.top_value) == [
        ["Fjord AS", 1, dt.date(2025, 6, 30), 3500, 10.0, 1400],
        ["Dal AS", 3, dt.date(2026, 8, 1), 400, 20.0, 320],
        ["Berg AS", 2, dt.date(2024, 1, 15), 1222, 5.0, 244],
    ]


def test_assumptions_fall_back_to_defaults() -> None:
    assert assumptions({}) == Assumptions(5.0, 10.0)
    assert assumptions({"Expected customer years": "abc", "Default margin (%)": None}) == (
        Assumptions(5.0, 10.0)
    )
    assert assumptions({"Expected customer years": 0, "Default margin (%)": 250}) == (
        Assumptions(5.0, 10.0)
    )
    assert assumptions({"Expected customer years": "2,5", "Default margin (%)": -3}) == (
        Assumptions(2.5, -3.0)
    )


def test_an_empty_register_gives_empty_tables_not_errors() -> None:
    figures = report.compute(register(), TODAY)
    assert figures.summary["Customers"] == 0
    assert figures.summary["Response rate (%)"] is None
    assert figures.top_recent.empty and figures.top_total.empty and figures.top_value.empty
    assert rows(figures.products)[0] == ["Conference", 0]
    assert list(figures.products.columns) == ["Product", "Total"]
    assert figures.campaigns.empty and figures.by_employee_band.empty
    assert [r[1] for r in rows(figures.groups["Turnover band"])] == [0] * 5
    assert figures.groups["Group"].empty
