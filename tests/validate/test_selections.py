"""The Selections sheet: fields, operators and values that fit."""

from __future__ import annotations

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
    aliases = {"Ansatte": "Employees", "Merknad": "Remark"}
    assert validate(book, field_aliases=aliases).issues == ()
    assert {i.field for i in validate(book).issues} == {"Field"}  # no aliases: Ansatte unknown
