"""Erasure tombstones: keyed hashes on the Log that keep an erased customer from coming back."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from crmbook.actions.importing import apply_edits
from crmbook.core import schema as s
from crmbook.core import tombstones as t
from crmbook.core.edits import AppendRows
from crmbook.core.merge import TAKE, plan_import
from crmbook.core.register import Register
from tests.registers import register, sheet

KEY = "0f" * 32
DAY = dt.date(2026, 11, 2)
FJORD = (
    "| Customer ID | Company | Org number | Postal code |\n| 7 | Fjord AS | '912345602' | '5003' |"
)


def with_log(reg: Register, *stones: t.Tombstone, key: str = KEY, source: str = "") -> Register:
    lines = ["| Date | Event | Source | Details |", f"| {DAY} | Erasure key | {source} | {key} |"]
    lines += [f"| {DAY} | Customer erased | {source} | {x.details()} |" for x in stones]
    return replace(reg, sheets={**reg.sheets, s.LOG: sheet(s.LOG, "\n".join(lines))})


def test_a_tombstone_holds_no_personal_data_and_needs_the_key() -> None:
    stone = t.tombstone(KEY, "912 345 602", "Fjord AS", "5003")
    text = stone.details()
    assert "912345602" not in text and "fjord" not in text.casefold() and "5003" not in text
    assert t.parse(text, DAY) == replace(stone, date=DAY)
    other = t.tombstone("ab" * 32, "912345602", "Fjord AS", "5003")
    assert (other.org, other.name) != (stone.org, stone.name)  # another key, other hashes


def test_matching_follows_the_import_rules() -> None:
    gone = t.erased(with_log(register(), t.tombstone(KEY, "912345602", "Fjord AS", "5003")))
    assert gone.is_erased("912 345 602", "Anything", "9999")  # the org number decides
    assert gone.is_erased(None, "FJORD A/S", "5003")  # else name and postal code
    assert not gone.is_erased("974760673", "Fjord AS", "5003")  # another org number
    assert not gone.is_erased(None, "Fjord AS", "0150")  # another place
    no_org = t.erased(with_log(register(), t.tombstone(KEY, None, "Havbris", 150)))
    assert no_org.is_erased("974760673", "havbris", "0150")
    assert not t.erased(register()).is_erased("912345602", "Fjord AS", "5003")


def test_a_tombstone_without_its_key_matches_nothing() -> None:
    stone = t.tombstone(KEY, "912345602", "Fjord AS", "5003")
    assert not t.erased(with_log(register(), stone, key="cd" * 32)).is_erased(
        "912345602", "Fjord AS", "5003"
    )


def test_import_does_not_re_add_an_erased_customer_unless_taken() -> None:
    here = with_log(register(), t.tombstone(KEY, "912345602", "Fjord AS", "5003"))
    other = register(
        customers=FJORD,
        mailings="| Mailing ID | Campaign | Customer ID |\n| 1 | Vår | 7 |",
        purchases="| Customer ID | Date | Product | Amount (NOK) |\n"
        "| 7 | 2026-02-01 | Banquet | 9 |",
    )
    plan = plan_import(here, other, "west.xlsx")
    assert plan.rejected == ()
    assert plan.new == () and [n.other_row for n in plan.erased] == [2]
    assert plan.erased[0].erased and plan.erased[0].erased.date == DAY
    assert plan.added() == [] and plan.to_add(plan.purchases) == [] and plan.empty
    appended = [e for e in apply_edits(here, plan, DAY) if isinstance(e, AppendRows)]
    assert {e.sheet for e in appended} == {s.LOG}
    taken = replace(plan, choices={plan.erased[0].key: TAKE})
    sheets = {e.sheet for e in apply_edits(here, taken, DAY) if isinstance(e, AppendRows)}
    assert sheets == {s.CUSTOMERS, s.PURCHASES, s.MAILINGS, s.LOG}


def test_the_other_books_erasure_counts_and_its_tombstones_come_along() -> None:
    stone = t.tombstone(KEY, "912345602", "Fjord AS", "5003")
    other = with_log(register(customers=FJORD), stone, source="")
    plan = plan_import(register(), other, "west.xlsx")
    assert plan.new == () and len(plan.erased) == 1
    assert plan.tombstones == (replace(stone, date=DAY),) and plan.keys == (KEY,)
    log = [e for e in apply_edits(register(), plan, DAY) if e.sheet == s.LOG]
    rows = [r for e in log if isinstance(e, AppendRows) for r in e.rows]
    assert [r[1] for r in rows] == ["Import", "Erasure key", "Customer erased"]
    assert rows[1][2:] == ["west.xlsx", KEY] and rows[2][3] == stone.details()
    again = plan_import(with_log(register(), stone), other, "west.xlsx")
    assert again.tombstones == () and again.keys == ()  # carried once
