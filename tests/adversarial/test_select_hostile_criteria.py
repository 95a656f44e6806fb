"""A hostile office's Selections sheet: odd values never crash select or validate, and the two
always agree (a row select refuses is an error of validate, in the same words)."""

from __future__ import annotations

import pytest

from crmbook.actions.select import compute
from crmbook.core.checks.base import Context
from crmbook.core.checks.control import control_characters
from crmbook.core.selection import SelectionError
from crmbook.core.validate import validate
from tests.registers import register
from tests.select.helpers import CUSTOMERS, PURCHASES, book, chosen

MAILINGS = """
| Mailing ID | Campaign            | Customer ID | Date sent  | Response | Response date |
| 1          | Høst: konferanse    | 1           | 2025-09-01 | Positive | 2025-09-05    |
| 2          | Høst: konferanse    | 2           | 2025-09-01 |          |               |
| 3          | =HYPERLINK("x")     | 3           | 2025-09-01 | Negative |               |
"""


def _both(criterion: str) -> tuple[list[str], str | None]:
    """Validate's messages about reading the Selections sheet, and select's refusal (None if
    computed). Invisible characters are a cell check of every sheet, not a reading problem:
    select computes such a value as typed, so their error is left out of the comparison."""
    text = f"| Selection | Group | Field | Operator | Value |\n| S | {criterion} |"
    reg = register(CUSTOMERS, PURCHASES, MAILINGS, text)
    pasted = {i.message for i in control_characters(Context(reg))}
    found = [
        i.message
        for i in validate(reg).issues
        if i.key == "Selections" and i.severity == "Error" and i.message not in pasted
    ]
    try:
        compute(reg, "S")
    except SelectionError as refused:
        return found, str(refused)
    return found, None


@pytest.mark.parametrize(
    "criterion",
    [
        "1 | Response to offer | = | Høst: konferanse: Positive",  # a colon in the campaign
        '1 | Response to offer | = | =HYPERLINK("x"): Negative',
        "1 | Response to offer | = | : Positive",
        "1 | Response to offer | = | Høst: konferanse:",
        "1 | Purchases total (NOK) | > | 1e309",
        "1 | Purchases total (NOK) | > | 100; since; Conference",
        "1 | Purchases total (NOK) | > | 100; since 99999",
        "1 | Purchases total (NOK) | > | 100; i 0000",
        "1 | Number of purchases | between | 1; 2; 3",
        "1 | Last purchase date | > | since 2025",
        "1 | Employee band | = | >>500",
        "1 | Employee band | = | >500 M",
        "1 | Employees | between | ;;;",
        "1 | Employees | one of | " + ";".join(["1"] * 5000),
        "1 | City | = | " + "x" * 32767,
        "1 | City | = | \x00\x07",
    ],
)
def test_odd_values_are_computed_or_refused_alike(criterion: str) -> None:
    errors, refused = _both(criterion)
    if refused is None:
        assert errors == []
    else:
        assert any(refused.endswith(e) for e in errors), (refused, errors)


def test_a_campaign_with_a_colon_splits_at_its_last_colon() -> None:
    errors, refused = _both("1 | Response to offer | = | Høst: konferanse: Positive")
    assert errors == [] and refused is None
    reg = register(
        CUSTOMERS,
        PURCHASES,
        MAILINGS,
        "| Selection | Field | Operator | Value |\n"
        "| S | Svar på tilbud | = | høst:konferanse: Ikke svart |",
        lang="nb",
    )
    assert compute(reg, "S").customer_ids == (2,)


@pytest.mark.parametrize("period", ["since 99999", "i 0000", "til 31.02.2025"])
def test_a_year_or_date_that_is_none_is_an_error_not_a_crash(period: str) -> None:
    with pytest.raises(SelectionError, match="is not a period"):
        chosen(f"1 | Purchases total (NOK) | > | 100; {period}")


def test_a_selection_naming_itself_through_a_one_of_is_a_circle() -> None:
    reg = book("1 | Selection | one of | 'T;S'", extra="| T | 1 | City | = | Oslo |")
    (issue,) = [i for i in validate(reg).issues if i.key == "Selections"]
    assert issue.message == "The selection S refers to itself. Remove this Selection criterion."
