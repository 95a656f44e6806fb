"""The demo data: deterministic, plausible, valid except for the mistakes it plants on purpose."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from stdnum.no import orgnr

from crmbook.core import schema as s
from crmbook.core.demo import CAMPAIGN, REFERENCE_DATE, generate

N = 300


@pytest.fixture(scope="module")
def demo():
    return generate(N, seed=11, lang="nb")


def test_same_seed_same_data_other_seed_other_data() -> None:
    assert generate(60, seed=5) == generate(60, seed=5)
    assert generate(60, seed=5).customers != generate(60, seed=6).customers


def test_mistakes_are_where_they_say(demo) -> None:
    assert 5 <= len(demo.mistakes) <= 8
    sheets = {s.CUSTOMERS: demo.customers, s.PURCHASES: demo.purchases}
    for m in demo.mistakes:
        assert sheets[m.sheet][m.row - 2][m.field] == m.value, m
    problems = " ".join(m.problem for m in demo.mistakes)
    for word in ("MOD11", "150", "domain", "text", "band", "same org number", "does not exist"):
        assert word in problems


def test_org_numbers_valid_and_unique_except_the_mistakes(demo) -> None:
    planted = {m.row for m in demo.mistakes if m.field == "Org number"}
    seen: set[str] = set()
    for row, c in enumerate(demo.customers, start=2):
        if c["Org number"] is None or row in planted:
            continue
        number = orgnr.compact(str(c["Org number"]))
        assert orgnr.is_valid(number), (row, number)
        assert number not in seen
        seen.add(number)
    assert any(" " in str(c["Org number"]) for c in demo.customers)


def test_contacts_are_valid_and_plausible(demo) -> None:
    planted = {(m.row, m.field) for m in demo.mistakes}
    emails = [c["Email"] for c in demo.customers]
    assert len(set(emails)) == len(emails)
    for row, c in enumerate(demo.customers, start=2):
        assert phonenumbers.is_valid_number(phonenumbers.parse(c["Phone"], "NO")), c["Phone"]
        if (row, "Email") not in planted:
            try:
                validate_email(c["Email"], check_deliverability=False)
            except EmailNotValidError as exc:
                pytest.fail(f"row {row}: {exc}")
        if c["Country"] is None and (row, "Postal code") not in planted:
            assert re.fullmatch(r"\d{4}", c["Postal code"]), c["Postal code"]
    assert any(str(c["Postal code"]).startswith("0") for c in demo.customers)
    assert any(set("æøåÆØÅ") & set(c["Company"]) for c in demo.customers)


def test_bands_agree_with_numbers_except_the_mistakes(demo) -> None:
    planted = {m.row for m in demo.mistakes if m.field in ("Employees", "Employee band")}
    for row, c in enumerate(demo.customers, start=2):
        assert c["Turnover band"] == s.turnover_band(c["Turnover (NOK)"] or 0) or (
            c["Turnover (NOK)"] is None
        )
        if row not in planted:
            assert c["Employee band"] == s.employee_band(c["Employees"])


def test_list_values_are_canonical(demo) -> None:
    for sheet, records in (
        (s.CUSTOMERS, demo.customers),
        (s.PURCHASES, demo.purchases),
        (s.MAILINGS, demo.mailings),
    ):
        for f in s.SHEET_FIELDS[sheet]:
            if f.list_name:
                used = {r[f.name] for r in records} - {None}
                assert used <= set(s.LISTS_EN[f.list_name]), (sheet, f.name, used)


def test_purchases_span_years_before_the_reference_date(demo) -> None:
    ids = {c["Customer ID"] for c in demo.customers}
    years = {p["Date"].year for p in demo.purchases}
    assert years == {2022, 2023, 2024, 2025, 2026}
    assert all(p["Date"] < REFERENCE_DATE for p in demo.purchases)
    orphans = [p for p in demo.purchases if p["Customer ID"] not in ids]
    assert len(orphans) == 1


def test_past_campaign_with_a_mix_of_responses(demo) -> None:
    assert {m["Campaign"] for m in demo.mailings} == {CAMPAIGN["nb"]}
    responses = {m["Response"] for m in demo.mailings}
    assert {"No response", "Negative", "Positive"} <= responses
    reserved = {c["Customer ID"] for c in demo.customers if c["No marketing"] == "Yes"}
    assert reserved and not reserved & {m["Customer ID"] for m in demo.mailings}


def test_small_demo_has_no_room_for_mistakes() -> None:
    assert generate(3).mistakes == ()
    assert len(generate(3).customers) == 3


def test_a_large_demo_has_unique_plausible_names() -> None:
    """Past ~38,000 the prefix-trade-town names are used up; the generator must not loop."""
    import random

    from crmbook.core.demo import _LAST, _company_names

    names = _company_names(random.Random(3), 60_000)
    assert len({n for n, _, _ in names}) == len({d for _, _, d in names}) == 60_000
    assert all(re.fullmatch(r"[\wÆØÅæøåÄÖäöü&. -]+", n) for n, _, _ in names)
    assert any(n.split()[0] in _LAST for n, _, _ in names[-1000:])  # named after the owners
