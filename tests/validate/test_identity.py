"""Customer ID and org number: the keys that must identify one customer each."""

from __future__ import annotations

import pytest
from stdnum.no import orgnr

from crmbook.core.validate import validate
from tests.registers import register
from tests.validate.helpers import E, F, W, at, fixes, found, run


def test_customer_ids_positive_whole_and_unique() -> None:
    book = register(
        customers="""
        | Customer ID | Company |
        | 1           | A AS    |
        | 0           | B AS    |
        | -1          | C AS    |
        | 1.5         | D AS    |
        | 'abc'       | E AS    |
        | 1           | F AS    |
        | '7'         | G AS    |
    """
    )
    assert found(book, "Customer ID") == {
        (3, "Customer ID", E), (4, "Customer ID", E), (5, "Customer ID", E),
        (6, "Customer ID", E), (7, "Customer ID", E),
    }  # fmt: skip
    (dup,) = at(book, 7, "Customer ID")
    assert "row 2" in dup.message


def test_blank_customer_ids_get_the_next_free_numbers_even_without_fix() -> None:
    book = register(
        customers="""
        | Customer ID | Company |
        | 4           | A AS    |
        |             | B AS    |
        | 9           | C AS    |
        |             | D AS    |
    """
    )
    result = run(book)
    assert [(i.row, i.fix.value, i.severity) for i in result.fixed if i.fix] == [
        (3, 10, F),
        (5, 11, F),
    ]
    assert result.errors == 0
    assert "10" in result.fixed[0].message


def test_first_customer_id_of_an_empty_register_is_one() -> None:
    book = register(
        customers="""
        | Customer ID | Company |
        |             | A AS    |
    """
    )
    assert fixes(book) == {(2, "Customer ID"): 1}


def _with_check_digit(base: str) -> str | None:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    check = (11 - sum(w * int(d) for w, d in zip(weights, base, strict=True)) % 11) % 11
    return None if check == 10 else base + str(check)


def test_org_numbers_nine_digits_mod11_spaces_allowed() -> None:
    book = register(
        customers="""
        | Org number    |
        | 974760673     |
        | '974 760 673' |
        | 974760674     |
        | 97476067      |
        | '9747606730'  |
        | 'NO974760673' |
        | 923609016     |
    """
    )
    assert found(book) == {
        (3, "Org number", E),  # the same number as row 2, with spaces
        (4, "Org number", E),
        (5, "Org number", E),
        (6, "Org number", E),
        (7, "Org number", E),
    }
    assert "check digit" in at(book, 4, "Org number")[0].message
    assert "has 8" in at(book, 5, "Org number")[0].message


def test_org_number_whose_check_digit_would_be_ten_is_never_valid() -> None:
    base = "91234567"  # weighted sum 133, remainder 1: no check digit exists
    assert _with_check_digit(base) is None
    rows = "\n".join(f"| '{base}{d}' |" for d in range(10))
    book = register(customers=f"| Org number |\n{rows}")
    assert len(found(book)) == 10
    assert not any(orgnr.is_valid(f"{base}{d}") for d in range(10))


@pytest.mark.parametrize("base", ["80000000", "99999999", "97476067", "81234567"])
def test_org_number_check_digit_boundaries_agree_with_stdnum(base: str) -> None:
    good = _with_check_digit(base)
    if good is None:
        pytest.skip("no valid number with this base")
    book = register(customers=f"| Org number |\n| '{good}' |")
    assert found(book) == set()
    assert orgnr.is_valid(good)


def test_fix_stores_numeric_org_numbers_as_text_and_leaves_typed_text_as_typed() -> None:
    book = register(
        customers="""
        | Org number     |
        | '974 760 673'  |
        | 923609016      |
        | '9747 60673 '  |
        | '974760673'    |
        | '911111111'    |
    """
    )
    # the number becomes text of its 9 digits; text only loses its surrounding spaces
    assert fixes(book) == {(3, "Org number"): "923609016", (4, "Org number"): "9747 60673"}
    assert "text" in at(book, 3, "Org number", fix=True)[0].message
    assert found(book) == {
        (4, "Org number", E), (4, "Org number", W), (5, "Org number", E), (6, "Org number", E)
    }  # fmt: skip


def test_new_customer_id_skips_numbers_used_on_purchases_and_mailings() -> None:
    book = register(
        customers="""
        | Customer ID | Company |
        | 7           | A AS    |
        |             | B AS    |
    """,
        purchases="""
        | Customer ID | Date       | Product    | Amount (NOK) |
        | 8           | 2026-03-02 | Conference | 100          |
    """,
        mailings="""
        | Mailing ID | Campaign | Customer ID |
        | 1          | Spring   | 11          |
    """,
    )
    # 8 and 11 belong to a purchase and a mailing of no customer: B AS must not take them over
    assert fixes(book) == {(3, "Customer ID"): 12}


def test_no_write_says_the_new_customer_id_would_be_given() -> None:
    book = register(customers="| Customer ID | Company |\n| 8 | A AS |\n|   | B AS |")
    (note,) = validate(book, write=False).fixed
    assert note.message == "Customer ID is blank: crmbook would give the customer number 9."
    nb = register(customers="| Kundenr | Firma |\n| 8 | A AS |\n|   | B AS |", lang="nb")
    (note,) = validate(nb, write=False).fixed
    assert note.message == "Kundenr er tomt: kunden ville fått nummer 9."
    assert validate(nb).fixed[0].message == "Kundenr var tomt: crmbook ga kunden nummer 9."
