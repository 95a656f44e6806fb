"""Groups, the funnel, combined selections, reservations and "why not?" — the users' story."""

from __future__ import annotations

import pytest

from crmbook.actions.select import compute, explain
from crmbook.core.selection import SelectionError
from tests.registers import register
from tests.select.helpers import CUSTOMERS, MAILINGS, PURCHASES, book, chosen

USERS_EXAMPLE = (
    "1 | Employees | > | 100",
    "1 | Purchased product | = | Conference",
    "1 | Remark | <> | Bad payer",
)


def test_users_example_gives_the_hand_checked_set_and_funnel() -> None:
    # > 100 employees: 1 3 5 6 7; all bought a conference (3 and 6 as 'Konferanse');
    # 3 is a bad payer; 5 (Yes) and 7 (Ja) are reserved against marketing.
    result = compute(book(*USERS_EXAMPLE), "S")
    assert result.customer_ids == (1, 6)
    assert result.rows == (2, 7)
    assert result.count == 2
    assert [(f.criterion, f.remaining) for f in result.funnel] == [
        ("Customers", 10),
        ("Employees > 100", 5),
        ("Purchased product = Conference", 5),
        ("Remark <> Bad payer", 4),
        ("Excluding No marketing = Yes", 2),
    ]
    assert result.groups == {1: 4}


def test_users_example_as_typed_in_a_norwegian_workbook() -> None:
    selections = """
    | Utvalg           | Gruppe | Felt          | Operator | Verdi          |
    | Konferansetilbud | 1      | Ansatte       | >        | 100            |
    | Konferansetilbud | 1      | Kjøpt produkt | =        | Konferanse     |
    | Konferansetilbud | 1      | Merknad       | <>       | Dårlig betaler |
    """
    reg = register(CUSTOMERS, PURCHASES, MAILINGS, selections, lang="nb")
    result = compute(reg, "konferansetilbud")
    assert result.selection == "Konferansetilbud"
    assert result.customer_ids == (1, 6)
    assert result.funnel[0].criterion == "Kunder"
    assert result.funnel[1].criterion == "Ansatte > 100"
    assert result.funnel[-1].criterion == "Unntatt reservert mot markedsføring = Ja"


def test_criteria_in_one_group_are_and_ed_and_groups_or_ed() -> None:
    result = compute(book("1 | City | = | Bergen", "2 | Employees | >= | 500"), "S")
    assert result.customer_ids == (2, 3)
    assert result.groups == {1: 1, 2: 1}
    assert [f.criterion for f in result.funnel] == [
        "Customers",
        "Group 1: City = Bergen",
        "Group 2: Employees >= 500",
        "Any of groups 1, 2",
        "Excluding No marketing = Yes",
    ]


def test_a_blank_group_is_group_1() -> None:
    assert chosen(" | Employees | > | 100", "1 | Remark | <> | Bad payer") == [1, 6]


def test_groups_are_listed_in_number_order_whatever_the_row_order() -> None:
    result = compute(book("2 | City | = | Bergen", "1 | City | = | Molde"), "S")
    assert result.customer_ids == (2, 6)
    assert result.funnel[1].criterion == "Group 1: City = Molde"


def test_reserved_customers_are_never_selected_and_shown_in_the_funnel() -> None:
    result = compute(book("1 | City | = | oslo"), "S")
    # 1, 5 (Yes), 7 (Ja), 9 and 10 live in Oslo
    assert result.funnel[-2].remaining == 5
    assert result.customer_ids == (1, 9, 10)


OTHERS = """
| Big      | 1 | Employees | >= | 100 |
| Conf     | 1 | Purchased product | = | Conference |
| Either   | 1 | Selection | one of | Big;Conf |
"""


def test_in_and_not_in_another_selection() -> None:
    assert compute(book("1 | Selection | = | Big", extra=OTHERS), "S").customer_ids == (1, 3, 6, 9)
    minus = book("1 | Selection | = | Big", "1 | Selection | <> | conf", extra=OTHERS)
    assert compute(minus, "S").customer_ids == (9,)
    assert compute(book("1 | Utvalg | = | Either", extra=OTHERS), "S").customer_ids == (1, 3, 6, 9)


def test_a_cycle_of_selections_is_an_error_naming_the_chain() -> None:
    cycle = """
    | A | 1 | Selection | = | B |
    | B | 1 | Selection | <> | C |
    | C | 1 | Selection | = | A |
    """
    with pytest.raises(SelectionError, match="A → B → C → A"):
        compute(book("1 | Selection | = | A", extra=cycle), "S")
    with pytest.raises(SelectionError, match="The selection S refers to itself"):
        compute(book("1 | Selection | = | S"), "S")


def test_explain_names_the_criterion_that_excluded_the_customer() -> None:
    reg = book(*USERS_EXAMPLE, "2 | City | = | Bergen")
    assert explain(reg, "S", 1).selected
    assert explain(reg, "S", 1).lines("en") == ["Customer 1 (Fjord AS) is in the selection 'S'."]
    three = explain(reg, "S", 3)
    assert not three.selected
    assert [(g.group, g.failed) for g in three.groups] == [
        (1, ("Remark <> Bad payer",)),
        (2, ("City = Bergen",)),
    ]
    assert three.lines("nb")[1] == "  gruppe 1: stoppet av Remark <> Bad payer"
    five = explain(reg, "S", 5)
    assert five.reserved and not five.selected
    assert five.groups[0].failed == ()
    assert "reserved against marketing" in five.lines("en")[-1]


def test_explain_an_unknown_customer_is_a_clear_error() -> None:
    with pytest.raises(SelectionError, match="no customer with Customer ID 999 on the sheet"):
        explain(book(*USERS_EXAMPLE), "S", 999)


def test_the_json_object_follows_spec() -> None:
    data = compute(book(*USERS_EXAMPLE), "S").to_json()
    assert list(data) == ["selection", "count", "customer_ids", "funnel"]
    assert data["count"] == 2
    assert data["customer_ids"] == [1, 6]
    assert data["funnel"][1] == {"criterion": "Employees > 100", "remaining": 5}
