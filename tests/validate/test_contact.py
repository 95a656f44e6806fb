"""Email, phone and postal code: the ways a customer is reached."""

from __future__ import annotations

import pytest

from tests.registers import register
from tests.validate.helpers import E, W, at, fixes, found


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("ola.nordmann@firma.no", True),
        ("post+tilbud@fjord-hotell.no", True),
        ("Åse@bølgen.no", True),  # internationalised: email-validator's slow path
        ("ola@", False),
        ("kari@@example..no", False),
        ("ola@firma", False),
        ("a..b@firma.no", False),
        ("ola@host.test", False),  # special-use domain
        ("ola nordmann@firma.no", False),
        ("'@firma.no'", False),
    ],
)
def test_email_syntax(email: str, ok: bool) -> None:
    book = register(customers=f"| Email |\n| '{email}' |")
    assert (found(book) == set()) is ok


def test_duplicate_emails_are_warnings_on_the_later_rows() -> None:
    book = register(
        customers="""
        | Email          |
        | post@fjord.no  |
        | Post@Fjord.no  |
        | annen@fjord.no |
        | post@fjord.no  |
    """
    )
    assert found(book) == {(3, "Email", W), (5, "Email", W)}
    assert "row 2" in at(book, 5, "Email")[0].message


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("22 33 44 55", True),
        ("+47 22 33 44 55", True),
        ("0047 91234567", True),
        ("912 34 567", True),
        ("45300000", True),
        ("800 12 345", True),
        ("(+47) 22-33-44-55", True),
        ("+46 31 123 45 67", True),  # Swedish, with its country code
        ("+45 33 12 34 56", True),
        ("25 00 00 00", False),  # no Norwegian series starts with 25
        ("1234567", False),
        ("123", False),
        ("telefon", False),
        ("+47 1234", False),
    ],
)
def test_phone_numbers_norwegian_without_country_code(phone: str, ok: bool) -> None:
    book = register(customers=f"| Phone |\n| '{phone}' |")
    assert (found(book) == set()) is ok


def test_phone_typed_as_a_number_is_read_as_its_digits() -> None:
    book = register(customers="| Phone |\n| 91234567 |")
    assert found(book) == set()


def test_postal_codes_in_norway() -> None:
    book = register(
        customers="""
        | Postal code | Country |
        | '0150'      |         |
        | '0000'      | Norway  |
        | '9999'      | Norge   |
        | 150         |         |
        | '150'       |         |
        | 1530        |         |
        | 'N-0150'    |         |
        | '12345'     | norge   |
        | '411 19'    | Sweden  |
        | 0           |         |
    """
    )
    assert found(book) == {
        (5, "Postal code", E),
        (6, "Postal code", E),
        (8, "Postal code", E),
        (9, "Postal code", E),
        (11, "Postal code", E),
    }
    assert "0150" in at(book, 5, "Postal code")[0].message
    assert "0150" in at(book, 6, "Postal code")[0].message


def test_fix_restores_only_the_zeros_excel_dropped() -> None:
    book = register(
        customers="""
        | Postal code | Country |
        | 150         |         |
        | 7           |         |
        | '150'       |         |
        | 150         | Sweden  |
    """
    )
    assert fixes(book) == {(2, "Postal code"): "0150", (3, "Postal code"): "0007"}
    assert found(book, fix=True) == {(2, "Postal code", "Fixed"), (3, "Postal code", "Fixed"),
                                     (4, "Postal code", E)}  # fmt: skip


def test_norwegian_messages_in_a_norwegian_workbook() -> None:
    book = register(customers="| Postnr | E-post |\n| 150 | ola@ |", lang="nb")
    (postal,) = at(book, 2, "Postal code")
    (email,) = at(book, 2, "Email")
    assert postal.sheet == "Kunder"
    assert "nullen foran" in postal.message
    assert "e-postadresse" in email.message
