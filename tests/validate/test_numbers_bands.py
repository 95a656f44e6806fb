"""Number columns and the bands derived from them."""

from __future__ import annotations

import pytest

from tests.registers import register
from tests.validate.helpers import E, F, W, at, fixes, found


def test_employees_whole_and_not_negative() -> None:
    book = register(
        customers="""
        | Employees |
        | 0         |
        | -1        |
        | 1.5       |
        | 'abc'     |
        | '12'      |
        | TRUE      |
        | 2000      |
    """
    )
    assert found(book) == {
        (3, "Employees", E),
        (4, "Employees", E),
        (5, "Employees", E),
        (6, "Employees", W),  # a number stored as text
        (7, "Employees", E),
    }
    assert "whole" in at(book, 4, "Employees")[0].message


def test_turnover_not_negative_profitability_any_number() -> None:
    book = register(
        customers="""
        | Turnover (NOK) | Profitability (%) |
        | 0              | -12.5             |
        | -0.01          | 'high'            |
        | '1 500 000'    | 7                 |
    """
    )
    assert found(book) == {
        (3, "Turnover (NOK)", E),
        (3, "Profitability (%)", E),
        (4, "Turnover (NOK)", W),
    }


def test_purchase_amounts_are_numbers() -> None:
    book = register(
        purchases="""
        | Amount (NOK) |
        | 48500        |
        | 'gratis'     |
        | -500         |
    """
    )
    assert found(book, "Amount (NOK)") == {(3, "Amount (NOK)", E)}


@pytest.mark.parametrize(
    ("employees", "band", "ok"),
    [
        (9, "1–9", True),
        (10, "1–9", False),
        (10, "10–49", True),
        (49, "10–49", True),
        (50, "10–49", False),
        (50, "50–99", True),
        (499, "100–499", True),
        (500, "≥500", True),
        (1, "1–9", True),
        (0, "1–9", False),  # 0 employees has no band
        (0, None, True),
    ],
)
def test_employee_band_edges(employees: int, band: str | None, ok: bool) -> None:
    book = register(customers=f"| Employees | Employee band |\n| {employees} | {band or ''} |")
    assert (found(book) == set()) is ok


@pytest.mark.parametrize(
    ("turnover", "band", "ok"),
    [
        (9_999_999, "<10 M", True),
        (10_000_000, "<10 M", False),
        (10_000_000, "10–49 M", True),
        (49_999_999, "10–49 M", True),
        (50_000_000, "50–99 M", True),
        (500_000_000, "≥500 M", True),
        (0, "<10 M", True),
    ],
)
def test_turnover_band_edges(turnover: int, band: str, ok: bool) -> None:
    book = register(customers=f"| Turnover (NOK) | Turnover band |\n| {turnover} | {band} |")
    assert (found(book) == set()) is ok


def test_band_variants_warn_and_a_clash_is_an_error_naming_the_right_band() -> None:
    book = register(
        customers="""
        | Employees | Employee band |
        | 250       | '10-49'       |
        | 20        | '10-49'       |
        | 600       | '>=500'       |
    """
    )
    assert found(book) == {
        (2, "Employee band", E),
        (2, "Employee band", W),
        (3, "Employee band", W),
        (4, "Employee band", W),
    }
    clash = next(i for i in at(book, 2, "Employee band") if i.severity is E)
    assert "100–499" in clash.message


def test_fix_fills_blank_bands_from_their_numbers_only() -> None:
    book = register(
        customers="""
        | Employees | Employee band | Turnover (NOK) | Turnover band |
        | 12        |               | 75000000       |               |
        | 0         |               | 'abc'          |               |
        | 1.5       |               | -5             |               |
    """
    )
    assert fixes(book) == {(2, "Employee band"): "10–49", (2, "Turnover band"): "50–99 M"}


def test_fix_does_not_fill_a_band_from_a_number_stored_as_text() -> None:
    # ' 120 ' is reported (a number stored as text) and left to a person, like '150' as a
    # postal code: --fix neither converts it nor derives the band from it
    book = register(
        customers="""
        | Employees | Employee band | Turnover (NOK) | Turnover band |
        | ' 120 '   |               | '75000000'     |               |
        | 120       |               |                |               |
    """
    )
    assert fixes(book) == {(3, "Employee band"): "100–499"}
    assert found(book, fix=True) == {
        (2, "Employees", W), (2, "Turnover (NOK)", W), (3, "Employee band", F)
    }  # fmt: skip
