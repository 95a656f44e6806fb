"""Responses and mailings figures on the small register (registers.py), computed by hand.

Spring: 4 letters to 3 customers. Customer 1 got two letters and answered Negative (5 March)
and then Positive (10 March): Positive counts. Customer 2 answered "Negativ" (bokmål), customer 3
has not answered. Autumn: 2 letters, no answers (one marked "No response"). Rates are per
recipient: in Spring 2 of 3 answered (66.7 %), 1 of 3 positively (33.3 %).
"""

from __future__ import annotations

import pandas as pd

from crmbook.core import report
from crmbook.core.report_mailings import campaigns, rate
from crmbook.core.responses import PER_CUSTOMER, latest_responses
from crmbook.core.selection import compute
from tests.registers import register
from tests.report.registers import CUSTOMERS, MAILINGS, TODAY, small
from tests.report.test_figures import rows


def test_latest_response_per_customer_and_campaign() -> None:
    found = latest_responses(small().frame("Mailings"))
    pairs = {(int(r[0]), r[1]): r[2] for r in rows(found)}
    assert pairs == {
        (1, "Spring"): "Positive",
        (2, "Spring"): "Negative",
        (4, "Autumn"): "No response",
    }


def test_the_latest_response_is_by_response_date_else_date_sent_and_lower_rows_win() -> None:
    mailings = """
    | Campaign | Customer ID | Date sent  | Response | Response date |
    | A        | 1           | 2026-01-01 | Positive | 2026-02-01    |
    | B        | 1           | 2026-03-01 | Negative |               |
    | A        | 2           | 2026-01-01 | Positive |               |
    | A        | 2           | 2026-01-01 | Negative |               |
    | A        | 3           |            | Positive |               |
    | A        | 3           | 2025-01-01 | Maybe    |               |
    """
    found = latest_responses(register(mailings=mailings).frame("Mailings"), PER_CUSTOMER)
    assert {int(r[0]): r[1] for r in rows(found)} == {1: "Negative", 2: "Negative", 3: "Positive"}


def test_selections_last_response_agrees_with_the_report() -> None:
    selections = """
    | Selection | Group | Field         | Operator | Value    |
    | Happy     | 1     | Last response | =        | Positive |
    """
    book = register(CUSTOMERS, None, MAILINGS, selections)
    latest = latest_responses(book.frame("Mailings"), PER_CUSTOMER)
    positive = sorted(int(i) for i in latest.loc[latest["Response"] == "Positive", "Customer ID"])
    assert list(compute(book, "Happy").customer_ids) == positive == [1]


def test_campaigns_count_letters_recipients_and_responses() -> None:
    assert rows(campaigns(small().frame("Mailings"))) == [
        ["Autumn", 2, 2, 2, 0, 0, 0.0, 0.0],
        ["Spring", 4, 3, 1, 1, 1, 66.7, 33.3],
    ]


def test_responses_per_campaign_and_band_show_bands_without_letters() -> None:
    table = report.compute(small(), TODAY).by_employee_band
    found = {(r[0], r[1]): r[2:] for r in rows(table)}
    assert len(found) == 2 * 6  # two campaigns × five bands and the blank one
    assert found["Autumn", "1–9"] == [0, 0, 0, 0, 0, None, None]
    assert found["Autumn", "100–499"] == [1, 1, 1, 0, 0, 0.0, 0.0]
    assert found["Autumn", None] == [1, 1, 1, 0, 0, 0.0, 0.0]  # customer 4: 0 employees
    assert found["Spring", "100–499"] == [2, 1, 0, 0, 1, 100.0, 100.0]
    assert found["Spring", "10–49"] == [1, 1, 0, 1, 0, 100.0, 0.0]
    assert found["Spring", None] == [1, 1, 1, 0, 0, 0.0, 0.0]
    turnover = {(r[0], r[1]): r[2] for r in rows(report.compute(small(), TODAY).by_turnover_band)}
    assert turnover["Spring", "50–99 M"] == 1 and turnover["Spring", "≥500 M"] == 0


def test_rates_are_per_recipient_not_per_letter() -> None:
    mailings = """
    | Campaign | Customer ID | Date sent  | Response | Response date |
    | Winter   | 1           | 2026-01-01 |          |               |
    | Winter   | 1           | 2026-02-01 | Positive | 2026-02-10    |
    | Winter   | 2           | 2026-01-01 |          |               |
    """
    table = campaigns(register(mailings=mailings).frame("Mailings"))
    # 3 letters to 2 recipients, 1 answered: half the recipients answered, not a third
    assert rows(table) == [["Winter", 3, 2, 1, 0, 1, 50.0, 50.0]]


def test_mailings_without_responses_and_rows_without_customer_or_campaign() -> None:
    mailings = """
    | Campaign | Customer ID | Date sent  |
    | Quiet    | 1           | 2026-01-01 |
    | Quiet    |             | 2026-01-01 |
    |          | 2           | 2026-02-01 |
    """
    table = campaigns(register(mailings=mailings).frame("Mailings"))
    assert rows(table) == [
        ["Quiet", 2, 1, 1, 0, 0, 0.0, 0.0],
        [None, 1, 1, 1, 0, 0, 0.0, 0.0],
    ]


def test_no_mailings_and_zero_letters() -> None:
    assert campaigns(pd.DataFrame({"Campaign": pd.Series(dtype=object)})).empty
    assert rate(0, 0) is None
    assert rate(1, 3) == 33.3


def test_one_campaign_written_two_ways_is_one_campaign_as_for_selections() -> None:
    mailings = """
    | Campaign    | Customer ID | Date sent  | Response |
    | Vinter 2025 | 1           | 2025-01-10 | Positive |
    | vinter2025  | 2           | 2025-01-11 |          |
    | VINTER  2025| 3           | 2025-01-12 | Negative |
    """
    assert rows(campaigns(register(mailings=mailings).frame("Mailings"))) == [
        ["Vinter 2025", 3, 3, 1, 1, 1, 66.7, 33.3],
    ]
