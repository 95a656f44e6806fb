"""The import plan on inline registers: who matches whom, what differs, what is refused."""

from __future__ import annotations

import datetime as dt

from crmbook.core.merge import KEEP, TAKE, Plan, parse_choice, plan_import
from crmbook.core.merge_values import name_key
from tests.registers import register

HERE = """
| Customer ID | Company        | Org number  | Postal code | Phone    | Status   | Email         |
| 1           | Fjord AS       | 912345602   | '5003'      | 55112233 | Customer | post@fjord.no |
| 2           | Havbris Data   | 912 345 610 | '0150'      |          | Prospect |               |
| 3           | Nordlys ASA    |             | '9008'      | 77112233 | Customer |               |
"""


def plan(other: str, *, here: str = HERE, lang: str = "en", **sheets: str) -> Plan:
    def side(prefix: str) -> dict[str, str]:
        return {k.removeprefix(prefix): v for k, v in sheets.items() if k.startswith(prefix)}

    this = register(customers=here, **side("here_"))
    theirs = register(customers=other, lang=lang, **side("other_"))
    return plan_import(this, theirs, "west.xlsx")


def changes(p: Plan) -> dict[tuple[int | None, str], tuple[object, object, str]]:
    return {(c.customer_id, c.field): (c.here, c.other, c.choice) for c in p.changes}


def test_identical_customer_is_matched_and_changes_nothing() -> None:
    p = plan("""
        | Customer ID | Company  | Org number | Postal code | Phone          | Status   |
        | 40          | Fjord AS | 912345602  | '5003'      | +47 55 11 22 33 | Customer |
    """)
    assert (p.matched, p.new, p.changes, p.empty) == (1, (), (), True)
    assert [cid for cid, _ in p.only_here] == [2, 3]


def test_new_customer_gets_the_next_free_id_and_keeps_its_department() -> None:
    p = plan("""
        | Customer ID | Company    | Org number | Department | Status   |
        | 7           | Ny Kro AS  | 912345629  | Sales West | Prospect |
    """)
    (new,) = p.new
    assert new.customer_id == 4 and new.other_row == 2
    assert new.record["Department"] == "Sales West" and new.record["Status"] == "Prospect"
    assert not p.empty


def test_changed_and_conflicting_fields_are_listed_side_by_side_and_kept() -> None:
    p = plan("""
        | Customer ID | Company  | Org number | Email          | Phone    | Postal code |
        | 1           | Fjord AS | 912345602  | salg@fjord.no  | 55112233 | '5003'      |
        | 2           | Havbris  | 912345610  | post@havbris.no |         | '0150'      |
    """)
    assert changes(p) == {
        (1, "Email"): ("post@fjord.no", "salg@fjord.no", KEEP),  # conflicting
        (2, "Email"): (None, "post@havbris.no", KEEP),  # changed: blank here
        (2, "Company"): ("Havbris Data", "Havbris", KEEP),
    }
    assert p.taken() == [] and p.empty


def test_blank_in_the_other_book_is_no_change() -> None:
    p = plan("""
        | Customer ID | Company  | Org number |
        | 1           | Fjord AS | 912345602  |
    """)
    assert p.changes == ()


def test_org_number_with_and_without_spaces_is_one_company() -> None:
    p = plan("""
        | Customer ID | Company      | Org number  | Postal code |
        | 9           | Havbris Data | 912345610   | '0150'      |
        | 8           | Fjord AS     | 912 345 602 | '5003'      |
    """)
    assert p.matched == 2 and p.new == () and p.changes == ()


def test_name_and_postal_code_match_without_org_number() -> None:
    p = plan("""
        | Customer ID | Company        | Postal code |
        | 5           | NORDLYS  asa   | '9008'      |
        | 6           | Nordlys        | '7010'      |
    """)
    assert p.matched == 1 and [n.record["Company"] for n in p.new] == ["Nordlys"]


def test_name_key_ignores_case_spaces_punctuation_and_legal_form() -> None:
    keys = {name_key(n) for n in ("Fjord AS", "FJORD A/S", "fjord a.s.", " Fjord  ", "AS Fjord")}
    assert keys == {"fjord"}
    assert name_key("Hansen & Sønn ASA") == "hansensønn"


def test_ambiguous_matches_are_listed_not_guessed() -> None:
    here = HERE + "| 4 | Nordlys AS | | '9008' | | | |\n"
    p = plan("""
        | Customer ID | Company     | Postal code |
        | 5           | Nordlys     | '9008'      |
    """, here=here)  # fmt: skip
    (amb,) = p.ambiguous
    assert amb.row == 2 and "4" in amb.reasons[0][1] and p.new == () and p.matched == 0


def test_same_name_and_postal_code_with_another_org_number_is_ambiguous() -> None:
    p = plan("""
        | Customer ID | Company  | Org number | Postal code |
        | 5           | Fjord AS | 912345637  | '5003'      |
    """)
    assert [a.row for a in p.ambiguous] == [2] and p.new == ()


def test_two_rows_claiming_one_customer_are_both_ambiguous() -> None:
    p = plan("""
        | Customer ID | Company     | Postal code |
        | 5           | Nordlys ASA | '9008'      |
        | 6           | Nordlys     | '9008'      |
    """)
    assert [a.row for a in p.ambiguous] == [2, 3] and p.matched == 0


def test_customer_id_matches_only_between_copies_of_one_register() -> None:
    other = """
        | Customer ID | Company       | Org number | Postal code |
        | 1           | Fjord AS      | 912345602  | '5003'      |
        | 2           | Havbris Data  | 912345610  | '0150'      |
        | 3           | Nordlys Hotel |            | '9009'      |
    """
    p = plan(other)  # same IDs for the org-matched customers: one origin
    assert p.matched == 3 and p.new == ()
    assert changes(p)[(3, "Company")][:2] == ("Nordlys ASA", "Nordlys Hotel")
    renumbered = other.replace("| 1 ", "| 11 ").replace("| 2 ", "| 12 ")
    p = plan(renumbered)
    assert p.matched == 2 and [n.record["Company"] for n in p.new] == ["Nordlys Hotel"]


def test_other_language_values_are_translated() -> None:
    p = plan("""
        | Kundenr | Firma    | Org.nr    | Postnr | Telefon | Status | Reservert mot markedsføring |
        | 1       | Fjord AS | 912345602 | '5003' | 55112233 | Kunde  | Ja |
        | 2       | Ny Kro   | 912345629 | '5004' |          | Prospekt | Nei |
    """, lang="nb")  # fmt: skip
    assert changes(p) == {(1, "No marketing"): (None, "Yes", TAKE)}  # a reservation wins
    (new,) = p.new
    assert (new.record["Status"], new.record["No marketing"]) == ("Prospect", "No")


def test_rejected_rows_carry_the_validation_reason() -> None:
    p = plan("""
        | Customer ID | Company | Org number |
        | 1           | Feil AS | 912345600  |
        |             |         | 912345629  |
    """)
    assert {(r.row, r.reasons[0][0]) for r in p.rejected} == {(2, "Org number"), (3, "Company")}
    assert p.new == ()
    assert "check digit" in next(r for r in p.rejected if r.row == 2).reasons[0][1]


def test_purchases_and_mailings_come_along_renumbered_and_deduplicated() -> None:
    p = plan(
        """
        | Customer ID | Company   | Org number |
        | 1           | Fjord AS  | 912345602  |
        | 7           | Ny Kro AS | 912345629  |
        """,
        here_purchases="""
        | Customer ID | Date       | Product    | Amount (NOK) |
        | 1           | 2026-01-05 | Conference | 1000         |
        """,
        other_purchases="""
        | Customer ID | Date       | Product    | Amount (NOK) |
        | 1           | 2026-01-05 | Conference | 1000         |
        | 1           | 2026-02-01 | Banquet    | 500          |
        | 7           | 2026-03-01 | Restaurant | 200          |
        | 7           | 2026-03-01 | Restaurant | 200          |
        """,
        other_mailings="""
        | Mailing ID | Campaign | Customer ID |
        | 1          | Vinter   | 7           |
        | 2          | Vinter   | 7           |
        """,
    )
    assert [(r["Customer ID"], r["Product"]) for r in p.purchases] == [
        (1, "Banquet"),
        (4, "Restaurant"),
    ]
    assert p.purchases[0]["Date"] == dt.date(2026, 2, 1)
    assert [(r["Mailing ID"], r["Customer ID"], r["Campaign"]) for r in p.mailings] == [
        (1, 4, "Vinter")
    ]


def test_choices_are_read_in_either_language_and_any_case() -> None:
    assert [parse_choice(w) for w in ("Take", "TA", " behold ", "keep", "maybe", None)] == [
        TAKE, TAKE, KEEP, KEEP, None, None,
    ]  # fmt: skip
