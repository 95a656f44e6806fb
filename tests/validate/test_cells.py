"""Required cells, text starting with '=', and spaces around text."""

from __future__ import annotations

from tests.registers import register
from tests.validate.helpers import E, W, at, fixes, found, run


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


def test_spaces_around_text_are_a_warning_once_per_cell_and_fix_trims_them() -> None:
    book = register(
        customers="""
        | Company        | City    | Email       | Org number      | Postal code | Status     |
        | '  Ærlig Øl  ' | 'Oslo ' | ' a@b.no '  | ' 974760673 '   | ' 0150'     | ' Customer' |
    """
    )
    assert fixes(book) == {
        (2, "Company"): "Ærlig Øl",
        (2, "City"): "Oslo",
        (2, "Email"): "a@b.no",
        (2, "Org number"): "974760673",
        (2, "Postal code"): "0150",
        (2, "Status"): "Customer",
    }
    issues = run(book).issues
    assert [(i.field, i.severity) for i in issues] == [
        ("Company", W), ("City", W), ("Email", W), ("Org number", W), ("Postal code", W),
        ("Status", W),
    ]  # fmt: skip
    spaces = "Spaces before or after the text; crmbook validate --fix removes them."
    assert [i.message for i in issues if i.field != "Status"] == [spaces] * 5
    status = next(i for i in issues if i.field == "Status")  # the list's warning says it already
    assert status.message == "Write it as 'Customer', exactly as in the list."
    assert (run(book, fix=True).errors, run(book, fix=True).warnings) == (0, 0)


def test_spaces_warning_in_norwegian() -> None:
    book = register(customers="| Firma |\n| ' A AS' |", lang="nb")
    (issue,) = run(book).issues
    assert issue.message == "Mellomrom foran eller bak teksten; crmbook validate --fix fjerner dem."


def test_a_cell_showing_an_excel_error_is_one_error_naming_it() -> None:
    from crmbook.core.register import ExcelError

    book = register(
        customers="""
        | Customer ID | Company | Address    | Postal code | City | Employees | Notes |
        | 1           | A AS    | Storgata 1 | '0150'      | Oslo | 12        | ok    |
    """
    )
    frame = book.frame("Customers")
    frame.loc[2, "Employees"] = ExcelError("#DIV/0!")
    frame.loc[2, "Notes"] = ExcelError("#REF!")
    assert found(book) == {(2, "Employees", E), (2, "Notes", E)}
    (issue,) = at(book, 2, "Employees")
    assert "#DIV/0!" in issue.message and "formula" in issue.message
