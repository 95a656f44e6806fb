"""The Selections sheet: fields, operators and values that fit."""

from __future__ import annotations

import pytest

from crmbook.actions.validate import check
from crmbook.core.selection.criteria import SelectionError
from crmbook.core.selection.engine import Engine
from crmbook.core.validate import validate
from tests.registers import register
from tests.validate.helpers import E, at, found

SHEET = """
    | Selection  | Group | Field             | Operator    | Value          |
    | Conference | 1     | Employees         | >           | 100            |
    | Conference | 1     | Purchased product | =           | Conference     |
    | Conference | 1     | Remark            | <>          | Bad payer      |
    | Conference | 2     | Employees         | between     | '10;49'        |
    | Conference | 2     | Status            | one of      | 'Customer;Kunde' |
    | Conference | 2     | Last purchase date | >=         | 2026-01-01     |
    | Conference | 3     | Selection         | <>          | Reserved       |
    | Conference | 3     | Email             | is blank    |                |
    | Conference | 3     | Company           | starts with | Fjord          |
    | Reserved   | 1     | No marketing      | =           | Yes            |
"""


def test_the_users_example_and_every_operator_kind_are_clean() -> None:
    book = register(selections=SHEET)
    assert found(book) == set()


def test_typos_in_fields_operators_and_values() -> None:
    book = register(
        selections="""
        | Selection | Group | Field      | Operator | Value     |
        | S         | 1     | Employes   | >        | 100       |
        | S         | 1     | Employees  | bigger   | 100       |
        | S         | 1     | Employees  | >        | hundred   |
        | S         | 1     | Employees  | between  | 10        |
        | S         | 1     | Status     | =        | Client    |
        | S         | 1     | Last purchase date | < | 'soon'  |
        | S         | 1     | Selection  | =        | Missing   |
        | S         | 1     | Selection  | =        | S         |
        | S         | 1     | Email      | =        |           |
        | S         | x     | Email      | not blank |          |
        |           | 1     | Email      | not blank |          |
    """
    )
    assert found(book) == {
        (2, "Field", E),
        (3, "Operator", E),
        (4, "Value", E),
        (5, "Value", E),
        (6, "Value", E),
        (7, "Value", E),
        (8, "Value", E),
        (9, "Value", E),
        (10, "Value", E),
        (11, "Group", E),
        (12, "Selection", E),
    }
    assert "Did you mean 'Employees'?" in at(book, 2, "Field")[0].message
    assert "Customer, Prospect" in at(book, 6, "Value")[0].message


def test_norwegian_headers_operators_and_derived_fields() -> None:
    book = register(
        selections="""
            | Utvalg | Gruppe | Felt          | Operator | Verdi      |
            | Høst   | 1      | Ansatte       | over     | 100        |
            | Høst   | 1      | Kjøpt produkt | =        | Konferanse |
            | Høst   | 1      | Merknad       | ikke     | Dårlig betaler |
            | Høst   | 1      | Ansatte       | mellom   | '10;49'    |
        """,
        lang="nb",
    )
    assert validate(book).issues == ()  # Customers headers in either language, always


def test_field_names_in_value_messages_are_the_ones_typed() -> None:
    book = register(
        selections="""
            | Utvalg | Gruppe | Felt          | Operator | Verdi  |
            | Høst   | 1      | Ansatte       | >        | mange  |
            | Høst   | 1      | Sum kjøp (NOK) | >       | mye    |
            | Høst   | 1      | Utvalg        | =        | Vår    |
        """,
        lang="nb",
    )
    messages = [i.message for i in check(book).issues]
    assert messages == [
        "«mange» kan ikke leses for feltet Ansatte: et tall, f.eks. 100, 1 000 eller 1,5.",
        "«mye» kan ikke leses for feltet Sum kjøp (NOK): et tall, f.eks. 100, 1 000 eller 1,5; "
        "så eventuelt produkter og en periode, f.eks. 50 000; Konferanse; fra 2024.",
        "«Vår» kan ikke leses for feltet Utvalg: et annet utvalg: Høst.",
    ]


def test_selections_referring_to_each_other_in_a_circle() -> None:
    book = register(
        selections="""
            | Selection | Group | Field     | Operator | Value   |
            | CY1       | 1     | Selection | =        | CY2     |
            | CY2       | 1     | Employees | >        | 10      |
            | CY2       | 1     | Selection | one of   | 'X;CY3' |
            | CY3       | 1     | Selection | <>       | cy1     |
            | X         | 1     | Employees | >        | 10      |
            | OK        | 1     | Selection | =        | CY1     |
        """
    )
    issues = validate(book).issues
    assert [(i.row, i.field, i.severity) for i in issues] == [
        (2, "Value", E),
        (4, "Value", E),
        (5, "Value", E),
    ]
    assert issues[0].message == (
        "The selections on the sheet Selections refer to each other in a circle: "
        "CY1 → CY2 → CY3 → CY1. Remove one of these Selection criteria."
    )
    assert "CY2 → CY3 → CY1 → CY2" in issues[1].message
    assert "CY3 → CY1 → CY2 → CY3" in issues[2].message


def test_two_step_circle_in_norwegian_and_no_circle_for_a_chain() -> None:
    book = register(
        selections="""
            | Utvalg | Gruppe | Felt   | Operator | Verdi |
            | A      | 1      | Utvalg | =        | B     |
            | B      | 1      | Utvalg | =        | A     |
        """,
        lang="nb",
    )
    (first, second) = check(book).issues
    assert first.message == (
        "Utvalgene på arket Utvalg viser til hverandre i ring: A → B → A. "
        "Fjern ett av disse Utvalg-kriteriene."
    )
    assert "B → A → B" in second.message
    chain = register(
        selections="""
            | Selection | Field     | Operator | Value |
            | A         | Selection | =        | B     |
            | B         | Selection | =        | C     |
            | C         | Employees | >        | 1     |
        """
    )
    assert validate(chain).issues == ()


def test_circle_errors_agree_with_select() -> None:
    book = register(
        selections="""
            | Selection | Field     | Operator | Value |
            | A         | Selection | =        | B     |
            | B         | Selection | =        | C     |
            | C         | Selection | =        | A     |
        """
    )
    with pytest.raises(SelectionError) as raised:
        Engine(book).result("A")
    assert "A → B → C → A" in str(raised.value)
    assert "A → B → C → A" in validate(book).issues[0].message
