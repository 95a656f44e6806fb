"""The questions the source asks, typed as office users type them, in both languages."""

from __future__ import annotations

import pytest

from crmbook.core.selection import SelectionError
from crmbook.core.validate import validate
from tests.select.helpers import book, chosen


def test_answered_positively_to_the_winter_offer_is_not_the_last_response() -> None:
    # Customer 1 said yes to the winter offer and no to the summer one afterwards.
    assert chosen("1 | Response to offer | = | Vinter 2025: Positive") == [1, 6]
    assert chosen("1 | Last response | = | Positive") == [6]
    assert chosen("1 | Svar på tilbud | = | vinter 2025: positiv", lang="nb") == [1, 6]


def test_got_the_campaign_and_did_not_answer() -> None:
    assert chosen("1 | Response to offer | = | Vinter 2025: No response") == [3]
    assert chosen("1 | Svar på tilbud | = | Sommer 2025: Ikke svart", lang="nb") == [2, 6]
    assert chosen(
        "1 | Response to offer | one of | Vinter 2025: Negative; Sommer 2025: Negative"
    ) == [
        1,
        2,
    ]
    assert 1 not in chosen("1 | Response to offer | <> | Vinter 2025: Positive")


def test_an_unknown_campaign_lists_the_campaigns() -> None:
    with pytest.raises(SelectionError) as raised:
        chosen("1 | Response to offer | = | Vinter 2024: Positive")
    assert str(raised.value).endswith(
        "No mailing on the sheet Mailings has the campaign 'Vinter 2024'. "
        "Campaigns: Vinter 2025, Sommer 2025."
    )
    with pytest.raises(SelectionError, match="campaign and a response"):
        chosen("1 | Response to offer | = | Vinter 2025")


def test_bought_conference_for_more_than_5000_since_2025() -> None:
    # Customer 3 bought a conference for 8 000 in November 2024: before the period.
    assert chosen("1 | Purchases total (NOK) | > | 5 000; Conference; since 2025") == [1, 6]
    assert chosen("1 | Sum kjøp (NOK) | > | fra 2025; 5 000; Konferanse", lang="nb") == [1, 6]
    assert chosen("1 | Purchases total (NOK) | > | 5 000") == [1, 3, 6]


def test_number_of_purchases_and_last_purchase_per_product_and_period() -> None:
    assert chosen("1 | Number of purchases | >= | 2") == [1]
    assert chosen("1 | Antall kjøp | = | 1; Konferanse; i 2025", lang="nb") == [1]  # 5, 7 reserved
    assert chosen("1 | Number of purchases | = | 0; until 2024") == [1, 4, 6, 8, 9, 10]
    assert chosen("1 | Last purchase date | >= | 2025-01-01; Banquet") == [1]
    between = "1 | Purchases total (NOK) | between | 1 000; 9 000; Konferanse; Møterom"
    assert chosen(between) == [3, 6]  # 7 is reserved


def test_a_period_that_cannot_be_read_names_the_cell() -> None:
    with pytest.raises(SelectionError) as raised:
        chosen("1 | Purchases total (NOK) | > | 100; since 20x5")
    assert str(raised.value) == (
        "Selections, row 2, column E (Value): 'since 20x5' is not a period: write a word and a "
        "date or a year, e.g. since 2024, from 01.03.2025, to 31.12.2025 or in 2025."
    )
    with pytest.raises(SelectionError, match="Type one figure"):
        chosen("1 | Purchases total (NOK) | > | 100; 200")


@pytest.mark.parametrize("lang", ["en", "nb"])
@pytest.mark.parametrize(
    ("band", "ids"),
    [(">500", [3]), ("≥500", [3]), ("10-49", []), ("100-499", [1, 6, 9]), ("100–499", [1, 6, 9])],
)
def test_bands_as_the_source_writes_them(lang: str, band: str, ids: list[int]) -> None:
    field = "Ansatteklasse" if lang == "nb" else "Employee band"
    assert chosen(f"1 | {field} | = | {band}", lang=lang) == ids


def test_the_two_readings_that_used_to_disagree_now_agree() -> None:
    trailing = book("1 | Employees | between | '100;150;'")
    assert not [i for i in validate(trailing).issues if i.key == "Selections"]
    assert chosen("1 | Employees | between | '100;150;'") == [1, 6, 9]
    empty = book("1 | City | one of | ';'")
    (issue,) = [i for i in validate(empty).issues if i.key == "Selections"]
    with pytest.raises(SelectionError) as raised:
        chosen("1 | City | one of | ';'")
    assert str(raised.value).endswith(issue.message)
