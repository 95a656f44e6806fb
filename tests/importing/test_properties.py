"""Property: after any import, every customer of both books is there exactly once, and no value
of this book changed unless its Choice said take."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.no import orgnr

from crmbook.actions.importing import apply_edits
from crmbook.book.layout import column_letter
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, SetCells
from crmbook.core.merge import KEEP, TAKE, Plan, plan_import
from crmbook.core.merge_values import name_key, org_key
from crmbook.core.register import Register
from tests.registers import register

ORG_NUMBERS = [
    n
    for n in (f"{b}{d}" for b in range(91234560, 91234700) for d in range(10))
    if orgnr.is_valid(n)
][:30]
FIELDS = ("Email", "Notes")
HEADER = "| Customer ID | Company | Org number | Postal code | Email | Notes |"


@st.composite
def company(draw: st.DrawFn, i: int) -> dict[str, object]:
    return {
        "name": f"Firma {i}" + draw(st.sampled_from([" AS", " ASA", "", " A/S"])),
        "org": draw(st.sampled_from([ORG_NUMBERS[i], None])),
        "postal": draw(st.sampled_from(["0150", "5003"])),
    }


def table(rows: list[dict[str, object]]) -> str:
    lines = [HEADER]
    for r in rows:
        org = f"'{r['org']}'" if r["org"] else ""
        lines.append(
            f"| {r['id']} | {r['name']} | {org} | '{r['postal']}' | {r['Email'] or ''} "
            f"| {r['Notes'] or ''} |"
        )
    return "\n".join(lines)


@st.composite
def books(draw: st.DrawFn) -> tuple[list[dict], list[dict], bool]:
    n = draw(st.integers(1, 12))
    pool = [draw(company(i)) for i in range(n)]
    here_ids = draw(st.sets(st.integers(0, n - 1), min_size=0, max_size=n))
    there = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n))
    copied = draw(st.booleans())  # a copy of one register keeps the Customer IDs
    value = st.sampled_from([None, "a@x.no", "b@x.no"])
    note = st.sampled_from([None, "Ring", "Skriv"])

    def side(members: set[int], offset: int) -> list[dict]:
        return [
            pool[i]
            | {
                "id": i + 1 + offset,
                "Email": draw(value),
                "Notes": draw(note),
                "org": _spaced(pool[i]["org"], draw(st.booleans())),
            }
            for i in sorted(members)
        ]

    return side(here_ids, 0), side(there, 0 if copied else 100), draw(st.booleans())


def _spaced(org: object, spaced: bool) -> object:
    return f"{org[:3]} {org[3:6]} {org[6:]}" if org and spaced else org  # type: ignore[index]


def carried_out(here: Register, plan: Plan) -> tuple[dict, dict, list[dict]]:
    """This book's Customers before and after the edits ``apply_edits`` makes, and the rows
    it appends, read back by column letter as a workbook would."""
    data = here.sheets[s.CUSTOMERS]
    fields = {letter: name for name, letter in data.columns.items()}
    before = data.frame.to_dict("index")
    after = {row: dict(rec) for row, rec in before.items()}
    appended: list[dict] = []
    for edit in apply_edits(here, plan, dt.date(2026, 11, 24)):
        if isinstance(edit, SetCells):
            assert edit.sheet == s.CUSTOMERS
            for (row, letter), value in edit.cells.items():
                after[row][fields[letter]] = value
        elif isinstance(edit, AppendRows) and edit.sheet == s.CUSTOMERS:
            appended += [
                {fields[column_letter(i)]: v for i, v in enumerate(r) if column_letter(i) in fields}
                for r in edit.rows
            ]
    return before, after, appended


def identity(rec: dict[str, object]) -> object:
    return name_key(rec["Company"])


@settings(max_examples=60, deadline=None)
@given(books(), st.data())
def test_every_customer_once_and_nothing_changed_unless_taken(
    pair: tuple[list[dict], list[dict], bool], data: st.DataObject
) -> None:
    here_rows, other_rows, _ = pair
    here, other = register(customers=table(here_rows)), register(customers=table(other_rows))
    plan = plan_import(here, other, "other.xlsx")
    assert plan.rejected == () and plan.ambiguous == ()
    choices = {c.key: data.draw(st.sampled_from([KEEP, TAKE])) for c in plan.changes}
    plan = replace(plan, choices=choices)
    before, after, appended = carried_out(here, plan)
    result = list(after.values()) + appended
    names = [identity(r) for r in result]
    for rec in here_rows + other_rows:
        assert names.count(name_key(rec["name"])) == 1
    taken = {(c.here_row, c.field) for c in plan.taken()}
    for row, rec in before.items():
        for name, value in rec.items():
            if (row, name) not in taken:
                assert after[row][name] == value
    assert all(choices[c.key] == TAKE for c in plan.taken())
    ids = [r["Customer ID"] for r in result]
    assert len({int(i) for i in ids}) == len(ids)
    assert {org_key(r["Org number"]) for r in result} >= {org_key(r["org"]) for r in here_rows}
