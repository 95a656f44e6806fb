"""Counts read as Norwegian and English people write them: '1 rad', '2 rader', '1 letter'."""

from __future__ import annotations

import pytest

from crmbook.core.i18n import plural


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [("nb", 1, "1 rad"), ("nb", 2, "2 rader"), ("nb", 0, "0 rader"),
     ("en", 1, "1 row"), ("en", 3, "3 rows")],
)  # fmt: skip
def test_plural_picks_the_singular_for_exactly_one(lang: str, n: int, expected: str) -> None:
    assert plural(lang, n, ("row", "rows"), ("rad", "rader")) == expected


@pytest.mark.parametrize(
    ("lang", "ids", "expected"),
    [
        ("nb", (7,), "1 kunde i «Vinter». Kunden står på arket Mottakere."),
        ("nb", (7, 8), "2 kunder i «Vinter». De står på arket Mottakere."),
        ("en", (7,), "1 customer in 'Vinter'. It is on the Mottakere sheet."),
    ],
)
def test_a_selection_of_one_customer_says_so_in_the_singular(
    lang: str, ids: tuple[int, ...], expected: str
) -> None:
    from crmbook.actions.select import Selected
    from crmbook.core.selection.engine import SelectionResult

    result = SelectionResult("Vinter", tuple(range(2, 2 + len(ids))), ids, ())
    assert Selected(lang, result, True, "Mottakere").message() == expected
