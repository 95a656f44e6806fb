"""Industry code, Org form and Turnover year: the columns Brønnøysund fills (issue 17)."""

from __future__ import annotations

import datetime as dt

from crmbook.core.validate import validate
from tests.registers import register
from tests.validate.helpers import E, W, at, fixes, found


def test_industry_code_in_the_registers_form() -> None:
    book = register(
        customers="""
        | Industry code |
        | '55.101'      |
        | '55101'       |
        | '55 101'      |
        | 55.1          |
        | '5510'        |
        | 'hotell'      |
    """
    )
    assert found(book, "Industry code") == {(3, "Industry code", E), (4, "Industry code", E),
                                            (5, "Industry code", E), (6, "Industry code", E),
                                            (7, "Industry code", E)}  # fmt: skip
    assert "55.101" in at(book, 7, "Industry code")[0].message  # says the form to use
    assert fixes(book) == {(3, "Industry code"): "55.101", (4, "Industry code"): "55.101",
                           (5, "Industry code"): "55.100"}  # fmt: skip


def test_org_form_is_one_of_the_registers_codes() -> None:
    book = register(
        customers="""
        | Org form |
        | 'AS'     |
        | 'as'     |
        | 'NUF'    |
        | 'A/S'    |
        | 'ENK'    |
    """
    )
    assert found(book, "Org form") == {(3, "Org form", W), (5, "Org form", E)}
    assert fixes(book) == {(3, "Org form"): "AS"}


def test_turnover_year_whole_and_not_ahead() -> None:
    book = register(
        customers="""
        | Turnover year |
        | 2024          |
        | 2031          |
        | 1850          |
        | 2024.5        |
    """
    )
    issues = validate(book, today=dt.date(2026, 12, 7)).issues
    assert {(i.row, i.severity) for i in issues if i.field == "Turnover year"} == {
        (3, W), (4, E), (5, E)}  # fmt: skip
