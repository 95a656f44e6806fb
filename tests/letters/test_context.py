"""The context a template sees comes from the register as the user typed it."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from crmbook.book import layout
from crmbook.core import letters
from crmbook.core import schema as s
from crmbook.letters.filters import FilterError, date, nok
from tests.registers import register

NBSP = "\u00a0"


def test_norwegian_aliases_are_the_snake_case_of_the_norwegian_headers() -> None:
    def fold(header: str) -> str:
        text = header.replace("æ", "ae").replace("ø", "o").replace("å", "a")
        text = text.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "A")
        return s.snake(unicodedata.normalize("NFKD", text))

    derived = {s.snake(en): fold(nb) for en, nb in layout.HEADERS_NB[s.CUSTOMERS].items()}
    assert derived == letters.CUSTOMER_ALIASES
    assert {"firma", "kontaktperson", "adresse", "postnr", "poststed"} <= set(derived.values())


BOOK = register(
    customers="""
    | Customer ID | Company          | Address | Postal code | City   | Employees | No marketing |
    | 1           | Hansen & Sønn AS | Gata 1  | 150         | Oslo   | 120       | No           |
    | 2           | Reservert AS     | Gata 2  | '0151'      | Oslo   | 5         | Yes          |
    | 3           | Uten adresse AS  |         | '0152'      |        | 5         |              |
    | 4           | <Fjord>          | Gata 4  | '5003'      | Bergen |           |              |
    """,
    purchases="""
    | Customer ID | Date       | Product    | Amount (NOK) |
    | 1           | 2026-02-01 | Banquet    | 5000         |
    | 1           | 2025-01-01 | Conference | 1234567.5    |
    """,
)


def test_recipients_have_typed_fields_aliases_and_purchases_oldest_first() -> None:
    got, skipped = letters.recipients(BOOK, [4, 1, 2, 3, 99])
    assert [(r.customer_id, r.company) for r in got] == [(4, "<Fjord>"), (1, "Hansen & Sønn AS")]
    fjord, hansen = (r.context for r in got)
    with pytest.raises(TypeError):  # read-only: one letter's rendering cannot change the next
        hansen["company"] = "Other AS"  # type: ignore[index]
    assert hansen["firma"] == hansen["company"] == "Hansen & Sønn AS"
    assert hansen["postal_code"] == hansen["postnr"] == "0150"
    assert hansen["employees"] == 120 and isinstance(hansen["employees"], int)
    assert fjord["employees"] is None
    assert [p["product"] for p in hansen["purchases"]] == ["Conference", "Banquet"]
    assert hansen["kjop"][0]["dato"] == dt.date(2025, 1, 1)
    assert hansen["purchases"][0]["amount_nok"] == 1234567.5
    reasons = {k.customer_id: k.reason for k in skipped}
    assert reasons == {
        2: "reserved against marketing",
        3: "no postal address (missing Address, City)",
        99: "not in Customers",
    }


def test_sender_and_batch_names_come_from_settings_with_aliases() -> None:
    shared = letters.batch_context({"Sender company": "Fjord AS"}, "Vinter", dt.date(2026, 1, 2))
    assert shared["sender"]["company"] == shared["avsender"]["firma"] == "Fjord AS"
    assert shared["sender"]["signature_name"] == ""
    assert shared["kampanje"] == "Vinter" and shared["dato"] == dt.date(2026, 1, 2)


def test_nok_and_date_filters_in_both_languages() -> None:
    assert nok(1234567) == f"kr{NBSP}1{NBSP}234{NBSP}567"
    assert nok(1234.5, "nb", 2) == f"kr{NBSP}1{NBSP}234,50"
    assert nok(1234567, "en") == f"NOK{NBSP}1,234,567"
    assert nok(None) == "" and nok(float("nan")) == "" and nok("  ") == ""
    day = dt.date(2026, 11, 22)
    assert date(day) == "22. november 2026"
    assert date(day, "en") == "22 November 2026"
    assert date(day, "nb", short=True) == "22.11.2026"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nok("Hansen AS"), "filteret nok trenger et tall, ikke «Hansen AS»"),
        (lambda: nok("12", "en"), "the nok filter needs a number, not “12”"),
        (lambda: date("Oslo"), "filteret date trenger en dato, ikke «Oslo»"),
        (lambda: date(5, "en"), "the date filter needs a date, not “5”"),
    ],
)
def test_filters_refuse_what_they_cannot_format(call, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        call()


def test_filters_print_blanks_as_nothing_and_read_iso_dates() -> None:
    assert date(None) == date("") == nok(None) == ""
    assert date("2026-11-22") == "22. november 2026"
