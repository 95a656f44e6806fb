"""Mistakes on the Selections sheet give messages naming the cell and what to type instead."""

from __future__ import annotations

import pytest

from crmbook.actions.select import compute
from crmbook.core.selection import SelectionError
from crmbook.errors import CrmbookError, UsageError
from tests.registers import register
from tests.select.helpers import CUSTOMERS, book


def error(*criteria: str, name: str = "S", extra: str = "") -> str:
    with pytest.raises(SelectionError) as caught:
        compute(book(*criteria, extra=extra), name)
    return str(caught.value)


def test_errors_are_usage_errors_with_exit_code_2() -> None:
    assert issubclass(SelectionError, UsageError)
    assert issubclass(SelectionError, CrmbookError)
    assert SelectionError.exit_code == 2


def test_an_unknown_selection_lists_the_ones_that_exist() -> None:
    message = error("1 | Employees | > | 100", name="Vinter", extra="| T | 1 | City | = | Oslo |")
    assert message == "There is no selection 'Vinter' on the sheet Selections. Selections: S, T."


def test_an_unknown_field_suggests_the_nearest() -> None:
    assert error("1 | Employes | > | 100") == (
        "Selections, row 2, column C (Field): Unknown field 'Employes'. Did you mean 'Employees'?"
    )
    assert "Did you mean 'Purchased product'?" in error("1 | Purchased prodct | = | Banquet")
    assert "Did you mean" not in error("1 | Xyzzy | = | 1")


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        ("Employees | > | many", "'many' cannot be read for the field Employees: a number"),
        ("Last purchase date | > | 31.02.2026", "'31.02.2026' cannot be read for the field Last"),
        (
            "Remark | = | Bad payr",
            "Bad payr' cannot be read for the field Remark: one of Bad payer",
        ),
        ("Purchased product | = | Sauna", "one of Conference, Accommodation, Meeting room"),
        ("Employee band | = | 100-500", "'100-500' cannot be read for the field Employee band"),
        ("Selection | = | Nope", "'Nope' cannot be read for the field Selection: another select"),
    ],
)
def test_a_value_that_cannot_be_read_names_its_cell(criterion: str, expected: str) -> None:
    message = error(f"1 | {criterion}")
    assert message.startswith("Selections, row 2, column E (Value): ")
    assert expected in message


def test_value_counts_for_between_and_one_of() -> None:
    assert "needs two values separated by ';'" in error("1 | Employees | between | 10")
    assert "needs values separated by ';'" in error("1 | Employees | one of | ;")
    assert error("1 | Employees | > |").endswith("column E (Value): A value is needed.")


def test_an_unknown_operator_lists_the_operators() -> None:
    message = error("1 | Employees | ~ | 100")
    assert message.startswith("Selections, row 2, column D (Operator): Unknown operator '~'.")
    assert "between, one of, contains" in message


def test_an_operator_that_does_not_fit_the_field() -> None:
    message = error("1 | Employees | contains | 1")
    assert "'contains' cannot be used with the field Employees" in message
    assert "'>' cannot be used with the field Purchased product" in error(
        "1 | Purchased product | > | Banquet"
    )


def test_a_group_must_be_a_whole_number_and_a_criterion_needs_a_selection() -> None:
    assert "column B (Group): The group must be a whole number" in error("one | City | = | Oslo")
    assert (
        compute(book("1 | City | = | Bergen", extra="| T | x | City | = | Oslo |"), "S").count == 1
    )
    assert "row 3, column A (Selection): The selection's name is missing" in error(
        "1 | City | = | Oslo", extra="|   | 1 | City | = | Bergen |"
    )


def test_only_the_computed_selection_must_be_readable() -> None:
    broken = "| Broken | 1 | Nonsense | = | 1 |"
    assert compute(book("1 | City | = | Bergen", extra=broken), "S").customer_ids == (2,)


def test_messages_are_in_the_workbook_language() -> None:
    selections = """
    | Utvalg | Gruppe | Felt   | Operator | Verdi |
    | Vinter | 1      | Ansate | >        | 100   |
    """
    reg = register(CUSTOMERS, selections=selections, lang="nb")
    with pytest.raises(
        SelectionError,
        match=r"^Utvalg, rad 2, kolonne C \(Field\): Ukjent felt «Ansate». Mente du «Ansatte»\?$",
    ):
        compute(reg, "Vinter")
    with pytest.raises(SelectionError, match="Det finnes ikke noe utvalg «Sommer» på arket Utvalg"):
        compute(reg, "Sommer")
