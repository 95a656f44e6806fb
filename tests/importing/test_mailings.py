"""Mailings both registers logged are matched (customer + campaign + date sent): a response only
the other book has is taken, two different responses are a choice; no mailing is dropped."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from crmbook.actions.importing import apply_edits
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, SetCells
from crmbook.core.merge import KEEP, TAKE, Plan, plan_import
from crmbook.core.register import Register
from tests.registers import register

CUSTOMER = "| Customer ID | Company | Org number |\n| 1 | Fjord AS | '912345602' |"
HEADER = "| Mailing ID | Campaign | Customer ID | Date sent | Response | Response date |"


def mailings(*rows: str) -> str:
    return "\n".join([HEADER, *rows])


def plan(here: str, other: str) -> tuple[Register, Plan]:
    this = register(customers=CUSTOMER, mailings=here)
    return this, plan_import(this, register(customers=CUSTOMER, mailings=other), "west.xlsx")


def test_a_response_only_the_other_book_has_is_taken() -> None:
    this, p = plan(
        mailings("| 1 | Vår | 1 | 2026-03-01 | No response | |"),
        mailings("| 5 | Vår | 1 | 2026-03-01 | Positive | 2026-03-09 |"),
    )
    got = {(c.sheet, c.field): (c.here, c.other, c.choice) for c in p.changes}
    assert got == {
        (s.MAILINGS, "Response"): ("No response", "Positive", TAKE),
        (s.MAILINGS, "Response date"): (None, dt.date(2026, 3, 9), TAKE),
    }
    assert p.mailings == () and not p.empty
    assert p.changes[0].note == "Mailing Vår, sent 2026-03-01."
    (cells,) = [e for e in apply_edits(this, p, dt.date(2026, 11, 2)) if isinstance(e, SetCells)]
    assert cells.sheet == s.MAILINGS and set(cells.cells.values()) == {
        "Positive",
        dt.date(2026, 3, 9),
    }


def test_two_different_responses_are_a_choice_kept_by_default() -> None:
    this, p = plan(
        mailings("| 1 | Vår | 1 | 2026-03-01 | Negative | 2026-03-05 |"),
        mailings("| 5 | Vår | 1 | 2026-03-01 | Positive | 2026-03-05 |"),
    )
    (change,) = p.changes
    assert (change.field, change.choice) == ("Response", KEEP) and p.empty
    taken = replace(p, choices={change.key: TAKE})
    (cells,) = [
        e for e in apply_edits(this, taken, dt.date(2026, 11, 2)) if isinstance(e, SetCells)
    ]
    assert list(cells.cells.values()) == ["Positive"]


def test_a_response_here_is_not_undone_by_no_response_there() -> None:
    _, p = plan(
        mailings("| 1 | Vår | 1 | 2026-03-01 | Positive | 2026-03-05 |"),
        mailings("| 5 | Vår | 1 | 2026-03-01 | No response | |"),
    )
    assert p.changes == () and p.empty


def test_another_sending_of_a_campaign_is_added_with_a_new_mailing_id() -> None:
    this, p = plan(
        mailings("| 4 | Vår | 1 | 2026-03-01 | | |"),
        mailings(
            "| 1 | Vår | 1 | 2026-03-01 | | |",
            "| 2 | Vår | 1 | 2026-04-01 | Positive | 2026-04-03 |",
            "| 3 | Høst | 1 | 2026-09-01 | | |",
            "| 9 | Høst | 1 | 2026-09-01 | | |",
        ),
    )
    assert [(m["Mailing ID"], m["Campaign"], m["Date sent"]) for m in p.mailings] == [
        (5, "Vår", dt.date(2026, 4, 1)),
        (6, "Høst", dt.date(2026, 9, 1)),
    ]
    rows = [r for e in apply_edits(this, p, dt.date(2026, 11, 2))
            if isinstance(e, AppendRows) and e.sheet == s.MAILINGS for r in e.rows]  # fmt: skip
    assert len(rows) == 2
