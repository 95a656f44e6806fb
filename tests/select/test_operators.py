"""Every operator on every kind of field, with blanks, both dashes and both languages."""

from __future__ import annotations

import pytest

from tests.select.helpers import chosen

# Customers 5 and 7 are reserved (No marketing = Yes / Ja) and are never expected.
CASES = [
    # numbers: compare only when present (customer 4 has no Employees)
    ("Employees | > | 100", [1, 3, 6]),
    ("Employees | >= | 100", [1, 3, 6, 9]),
    ("Employees | < | 100", [2, 8, 10]),
    ("Employees | <= | 100", [2, 8, 9, 10]),
    ("Employees | = | 100", [9]),
    ("Employees | <> | 100", [1, 2, 3, 6, 8, 10]),
    ("Employees | between | 90;120", [1, 2, 6, 9]),
    ("Employees | between | 120 ; 90", [1, 2, 6, 9]),
    ("Employees | one of | 5;100;500", [3, 8, 9]),
    ("Employees | is blank |", [4]),
    ("Employees | not blank |", [1, 2, 3, 6, 8, 9, 10]),
    ("Employees | < | '1 000'", [1, 2, 3, 6, 8, 9, 10]),
    ("Turnover (NOK) | <= | '1 000 000'", [2, 6, 8, 10]),
    ("Turnover (NOK) | > | '12,4'", [1, 2, 3, 6, 8, 9]),
    ("Customer ID | one of | 1;2;5", [1, 2]),
    # bands: ordered, '-' and '–' alike, '>=500' is '≥500'
    ("Employee band | = | 100-499", [1, 6, 9]),
    ("Employee band | = | 100–499", [1, 6, 9]),
    ("Employee band | >= | 100-499", [1, 3, 6, 9]),
    ("Employee band | < | 50–99", [8]),
    ("Employee band | between | 10-49;100-499", [1, 2, 6, 9]),
    ("Employee band | one of | 1-9;≥500", [3, 8]),
    ("Employee band | = | >=500", [3]),
    ("Employee band | <> | 100–499", [2, 3, 4, 8, 10]),
    ("Employee band | is blank |", [4, 10]),
    # list values in either language; a blank list value is not equal to anything
    ("Remark | <> | Bad payer", [1, 2, 4, 6, 9, 10]),
    ("Remark | <> | dårlig betaler", [1, 2, 4, 6, 9, 10]),
    ("Remark | = | BAD PAYER", [3, 8]),
    ("Remark | one of | Bad payer;Kredittstopp", [3, 8, 9]),
    ("Remark | contains | betal", [3, 8]),
    ("Remark | contains | pay", [3, 8]),
    ("Remark | starts with | kreditt", [9]),
    ("Remark | is blank |", [1, 2, 4, 10]),
    ("Remark | not blank |", [3, 6, 8, 9]),
    ("Industry | = | Construction", [2]),
    ("Industry | one of | it;Handel", [1, 3, 6, 9]),
    # text: case- and space-insensitive; blanks are '<>' anything
    ("City | = | oslo", [1, 9, 10]),
    ("City | <> | Oslo", [2, 3, 4, 6, 8]),
    ("City | contains | OS", [1, 9, 10]),
    ("City | starts with | tr", [3, 8]),
    ("City | > | N", [1, 3, 8, 9, 10]),
    ("City | between | a;c", [2]),
    ("City | one of | Bergen; Molde", [2, 6]),
    ("City | is blank |", [4]),
    ("Company | contains | as", [1, 2, 3, 4, 6, 9, 10]),
    ("Company | = | fjordas", [1]),
    ("Postal code | starts with | '01'", [1, 9]),
    ("Postal code | between | 0001;0999", [1, 9, 10]),
]


@pytest.mark.parametrize(("criterion", "expected"), CASES, ids=[c for c, _ in CASES])
def test_operator(criterion: str, expected: list[int]) -> None:
    assert chosen(f"1 | {criterion}") == expected


DERIVED = [
    ("Last purchase date | >= | 2026-01-01", [1, 6, 9]),
    ("Last purchase date | < | 24.11.2024", [2]),
    ("Last purchase date | = | 24.11.2024", [3]),
    ("Last purchase date | between | 2024-01-01;31.12.2025", [3]),
    ("Last purchase date | <> | 2024-11-24", [1, 2, 6, 9]),
    ("Last purchase date | one of | 2023-05-05;2026-11-01", [2, 9]),
    ("Last purchase date | is blank |", [4, 8, 10]),
    ("Purchases total (NOK) | > | 7000", [1, 3]),
    ("Purchases total (NOK) | = | 0", [4, 8, 10]),
    ("Purchases total (NOK) | between | 100;300", [2, 9]),
    ("Purchases total (NOK) | >= | '2 500,5'", [1, 3, 6]),
    ("Purchased product | = | Conference", [1, 3, 6]),
    ("Purchased product | = | konferanse", [1, 3, 6]),
    ("Purchased product | <> | Conference", [2, 4, 8, 9, 10]),
    ("Purchased product | one of | Banquet;Restaurant", [1, 9]),
    ("Purchased product | contains | rom", [2]),
    ("Purchased product | starts with | meet", [2]),
    ("Purchased product | is blank |", [4, 8, 10]),
    ("Purchased product | not blank |", [1, 2, 3, 6, 9]),
    ("Offer received | = | vinter 2025", [1, 2, 3, 6]),
    ("Offer received | = | Vinter2025", [1, 2, 3, 6]),
    ("Offer received | <> | Sommer 2025", [3, 4, 8, 9, 10]),
    ("Offer received | contains | 2025", [1, 2, 3, 6]),
    ("Offer received | one of | Sommer 2025;Høst", [1, 2, 6]),
    ("Offer received | is blank |", [4, 8, 9, 10]),
    # latest filled-in response: by Response date, else Date sent
    ("Last response | = | Negative", [1, 2]),
    ("Last response | = | positiv", [6]),
    ("Last response | <> | Negative", [3, 4, 6, 8, 9, 10]),
    ("Last response | one of | No response;Positive", [6]),
    ("Last response | is blank |", [3, 4, 8, 9, 10]),
]


@pytest.mark.parametrize(("criterion", "expected"), DERIVED, ids=[c for c, _ in DERIVED])
def test_derived_field(criterion: str, expected: list[int]) -> None:
    assert chosen(f"1 | {criterion}") == expected


def test_operator_and_field_aliases_in_bokmal() -> None:
    assert chosen("1 | ansatte | mellom | 90;120") == [1, 2, 6, 9]
    assert chosen("1 | Ansatte | en av | 5;100") == [8, 9]
    assert chosen("1 | Merknad | inneholder | betal") == [3, 8]
    assert chosen("1 | Poststed | starter med | tr") == [3, 8]
    assert chosen("1 | Ansatte | er tom |") == [4]
    assert chosen("1 | Ansatte | ikke tom |") == [1, 2, 3, 6, 8, 9, 10]
    assert chosen("1 | Kjøpt produkt | = | Konferanse") == [1, 3, 6]
    assert chosen("1 | Sum kjøp (NOK) | >= | 8000") == [1, 3]
    assert chosen("1 | Siste kjøpsdato | < | 01.01.2024") == [2]
    assert chosen("1 | Mottatt tilbud | <> | Vinter 2025") == [4, 8, 9, 10]
    assert chosen("1 | Siste svar | = | Negativ") == [1, 2]
