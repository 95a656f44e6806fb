"""Required cells, text starting with '=', and spaces around text."""

from __future__ import annotations

from tests.registers import register
from tests.validate.helpers import E, W, fixes, found


def test_company_required_and_address_for_customers_who_get_letters() -> None:
    book = register(
        customers="""
        | Company | Address     | Postal code | City | No marketing |
        | A AS    | Storgata 1  | '0150'      | Oslo | No           |
        |         | Storgata 1  | '0150'      | Oslo |              |
        | C AS    |             |             |      | Yes          |
        | D AS    |             | '0150'      | Oslo | No           |
        | E AS    | Storgata 1  |             |      |              |
    """
    )
    assert found(book) == {
        (3, "Company", E),
        (5, "Address", E),
        (6, "Postal code", E),
        (6, "City", E),
    }


def test_text_starting_with_equals_is_a_warning_except_the_operator() -> None:
    book = register(
        customers="| Company | Notes |\n| '=HYPERLINK(\"x\")' | ' =1+1' |\n| A AS | a=b |",
        selections="| Selection | Field | Operator | Value |\n| S | Company | = | '=x' |",
    )
    assert found(book) == {(2, "Company", W), (2, "Notes", W), (2, "Value", W)}


def test_fix_trims_spaces_around_text() -> None:
    book = register(customers="| Company | City | Email |\n| ' A AS ' | 'Oslo ' | ' a@b.no' |")
    assert fixes(book) == {(2, "Company"): "A AS", (2, "City"): "Oslo", (2, "Email"): "a@b.no"}
    assert found(book) == set()  # without --fix, spaces are no issue
