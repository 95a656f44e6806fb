"""Purchases and Mailings: dates are dates and Customer IDs point at a customer."""

from __future__ import annotations

from tests.registers import register
from tests.validate.helpers import E, W, at, found

CUSTOMERS = """
    | Customer ID | Company |
    | 1           | A AS    |
    | 2           | B AS    |
"""


def test_purchases_point_at_existing_customers() -> None:
    book = register(
        customers=CUSTOMERS,
        purchases="""
            | Customer ID | Date       | Product    | Amount (NOK) |
            | 1           | 2026-03-02 | Conference | 1000         |
            | 3           | 2026-03-02 | Conference | 1000         |
            | 'x'         | 2026-03-02 | Conference | 1000         |
            |             | 2026-03-02 | Conference | 1000         |
        """,
    )
    assert found(book) == {(3, "Customer ID", E), (4, "Customer ID", E), (5, "Customer ID", E)}
    assert "3" in at(book, 3, "Customer ID")[0].message


def test_dates_are_dates() -> None:
    book = register(
        purchases="""
            | Date         |
            | 2026-03-02   |
            | '24.11.2026' |
            | 'yesterday'  |
            | 2026         |
            | '31.02.2026' |
        """,
        mailings="""
            | Date sent  | Response date |
            | 2025-01-14 | 'soon'        |
        """,
    )
    assert found(book) == {
        (3, "Date", W),
        (4, "Date", E),
        (5, "Date", E),
        (6, "Date", E),
        (2, "Response date", E),
    }


def test_mailings_customer_and_mailing_ids() -> None:
    book = register(
        customers=CUSTOMERS,
        mailings="""
            | Mailing ID | Campaign | Customer ID |
            | 1          | Winter   | 2           |
            | 0          | Winter   | 9           |
            | 2          |          | 1           |
        """,
    )
    assert found(book) == {(3, "Mailing ID", E), (3, "Customer ID", E), (4, "Campaign", E)}


def test_references_are_not_checked_without_the_customers_sheet_columns() -> None:
    book = register(purchases="| Customer ID |\n| 99 |")
    assert found(book) == set()
