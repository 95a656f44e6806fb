"""Property: after any import of any pair of registers, with any choices, every value of both
registers is in the result or named on the plan as not taken; an erased customer never comes
back without an explicit take."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from crmbook.actions.importing import apply_edits
from crmbook.book.layout import column_letter
from crmbook.core import schema as s
from crmbook.core import tombstones as t
from crmbook.core.edits import AppendRows, SetCells
from crmbook.core.merge import KEEP, TAKE, Plan, plan_import
from crmbook.core.merge_columns import extra_columns
from crmbook.core.merge_values import comparable
from crmbook.core.register import Register
from tests.importing.test_properties import ORG_NUMBERS
from tests.registers import register, sheet

KEY = "ab" * 32
CUSTOMER_FIELDS = ("Customer ID", "Company", "Org number", "Postal code", "Email", "Notes")
MAILING_FIELDS = ("Mailing ID", "Campaign", "Customer ID", "Date sent", "Response")
DATES = (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
MOBILE = "Mobile"


@st.composite
def side(draw: st.DrawFn, pool: list[dict], members: set[int], offset: int) -> dict:
    """One register: customers (own IDs), their mailings and a Mobile column of its own."""
    customers, mailings, mobile = [], [], {}
    for n, i in enumerate(sorted(members)):
        customers.append(pool[i] | {
            "Customer ID": i + 1 + offset,
            "Email": draw(st.sampled_from([None, "a@x.no", "b@x.no"])),
            "Notes": draw(st.sampled_from([None, "Ring", "Skriv"])),
        })  # fmt: skip
        mobile[n + 2] = draw(st.sampled_from([None, "900", "411"]))
        sent = st.tuples(st.sampled_from(["Vår", "Høst"]), st.sampled_from(DATES))
        for campaign, date in draw(st.sets(sent, max_size=2)):
            response = draw(st.sampled_from([None, "No response", "Positive", "Negative"]))
            mailings.append({"Campaign": campaign, "Customer ID": i + 1 + offset,
                             "Date sent": date, "Response": response})  # fmt: skip
    return {"customers": customers, "mailings": mailings, "mobile": mobile}


@st.composite
def pairs(draw: st.DrawFn) -> tuple[dict, dict, list[dict], set[int]]:
    n = draw(st.integers(1, 8))
    pool = [{"Company": f"Firma {i}", "Org number": draw(st.sampled_from([ORG_NUMBERS[i], None])),
             "Postal code": draw(st.sampled_from(["0150", "5003"]))} for i in range(n)]  # fmt: skip
    erased = draw(st.sets(st.integers(0, n - 1), max_size=2))
    here = draw(st.sets(st.integers(0, n - 1))) - erased
    other = draw(st.sets(st.integers(0, n - 1), min_size=1))
    copied = draw(st.booleans())
    return draw(side(pool, here, 0)), draw(side(pool, other, 0 if copied else 100)), pool, erased


def table(fields: tuple[str, ...], rows: list[dict]) -> str:
    def cell(v: object) -> str:
        return "" if v is None else f"'{v}'" if isinstance(v, str) else str(v)

    lines = ["| " + " | ".join(fields) + " |"]
    lines += ["| " + " | ".join(cell(r.get(f)) for f in fields) + " |" for r in rows]
    return "\n".join(lines)


def build(data: dict, stones: list[t.Tombstone]) -> Register:
    mailings = [m | {"Mailing ID": n} for n, m in enumerate(data["mailings"], 1)]
    reg = register(customers=table(CUSTOMER_FIELDS, data["customers"]),
                   mailings=table(MAILING_FIELDS, mailings))  # fmt: skip
    log = ["| Date | Event | Source | Details |", f"| 2026-01-05 | Erasure key | | {KEY} |"]
    log += [f"| 2026-01-05 | Customer erased | | {x.details()} |" for x in stones]
    return replace(reg, sheets={**reg.sheets, s.LOG: sheet(s.LOG, "\n".join(log))})


def carried_out(here: Register, plan: Plan) -> dict[str, dict[int, dict]]:
    """Customers and Mailings of this book after the edits, by Excel row and column letter."""
    book: dict[str, dict[int, dict]] = {}
    for key in (s.CUSTOMERS, s.MAILINGS):
        data = here.sheets[key]
        book[key] = {r: {data.columns[f]: v for f, v in rec.items() if f in data.columns}
                     for r, rec in data.frame.to_dict("index").items()}  # fmt: skip
    for edit in apply_edits(here, plan, dt.date(2026, 11, 24)):
        target = book.get(edit.sheet)
        if target is None:
            continue
        if isinstance(edit, AppendRows):
            for row in edit.rows:
                target[max(target, default=1) + 1] = {
                    column_letter(i): v for i, v in enumerate(row)
                }
        elif isinstance(edit, SetCells):
            for (row, letter), value in edit.cells.items():
                target.setdefault(row, {})[letter] = value
    return book


@settings(max_examples=80, deadline=None)
@given(pairs(), st.data())
def test_no_value_is_lost_silently_and_no_erased_customer_returns(
    pair: tuple, data: st.DataObject
) -> None:
    here_data, other_data, pool, erased = pair
    stones = [t.tombstone(KEY, pool[i]["Org number"], pool[i]["Company"], pool[i]["Postal code"])
              for i in erased]  # fmt: skip
    here, other = build(here_data, stones), build(other_data, [])
    width = len(CUSTOMER_FIELDS)
    columns = extra_columns(
        {s.CUSTOMERS: {MOBILE: other_data["mobile"]}}, {}, {}, {s.CUSTOMERS: width}
    )
    plan = plan_import(here, other, "west.xlsx", columns)
    items = [*plan.changes, *plan.erased, *plan.columns]
    choices = {i.key: data.draw(st.sampled_from([KEEP, TAKE])) for i in items}
    plan = replace(plan, choices=choices)
    book = carried_out(here, plan)
    cust_letters = here.sheets[s.CUSTOMERS].columns
    result = {
        r: {f: v.get(cust_letters[f]) for f in CUSTOMER_FIELDS}
        for r, v in book[s.CUSTOMERS].items()
    }
    # An erased customer comes back only when its Erased row says take.
    taken_erased = {n.record["Company"] for n in plan.erased if choices[n.key] == TAKE}
    names = [r["Company"] for r in result.values()]
    for i in erased:
        company = pool[i]["Company"]
        assert names.count(company) == (company in taken_erased)
    # Every value of the other book's customers: in the result, or named on the plan.
    not_taken = {(c.other_row, c.field) for c in plan.changes if c.sheet == s.CUSTOMERS
                 and choices[c.key] == KEEP}  # fmt: skip
    named_rows = {p.row for p in (*plan.rejected, *plan.ambiguous) if p.sheet == s.CUSTOMERS}
    named_rows |= {n.other_row for n in plan.erased if choices[n.key] == KEEP}
    frame = other.frame(s.CUSTOMERS)
    for row, rec in frame.to_dict("index").items():
        if row in named_rows:
            continue
        match = [r for r in result.values() if r["Company"] == rec["Company"]]
        assert len(match) == 1
        for f in CUSTOMER_FIELDS[1:]:
            field = s.field(s.CUSTOMERS, f)
            if rec[f] is None or (row, f) in not_taken:
                continue
            assert comparable(field, match[0][f]) == comparable(field, rec[f]), (row, f)
    # Every value this book had is still there unless a taken change replaced it.
    replaced = {(c.sheet, c.here_row, c.field) for c in plan.taken()}
    for key in (s.CUSTOMERS, s.MAILINGS):
        data_here = here.sheets[key]
        for row, rec in data_here.frame.to_dict("index").items():
            for f, v in rec.items():
                if v is not None and f in data_here.columns and (key, row, f) not in replaced:
                    assert book[key][row][data_here.columns[f]] == v
    # Every response of the other book: in the result, or a change not taken, or its customer
    # named on the plan.
    ids = {r["Company"]: r["Customer ID"] for r in result.values()}
    mail_letters = here.sheets[s.MAILINGS].columns
    mails = [{f: v.get(mail_letters[f]) for f in MAILING_FIELDS} for v in book[s.MAILINGS].values()]
    kept = {c.other_row for c in plan.changes if c.sheet == s.MAILINGS and choices[c.key] == KEEP}
    owners = {r["Customer ID"]: r["Company"] for r in other.frame(s.CUSTOMERS).to_dict("records")}
    gone = {frame.loc[r, "Company"] for r in named_rows}
    for row, m in other.frame(s.MAILINGS).to_dict("index").items():
        company = owners[m["Customer ID"]]
        if company in gone or row in kept or m["Response"] in (None, "No response"):
            continue
        same = [x for x in mails if x["Customer ID"] == ids[company]
                and (x["Campaign"], x["Date sent"]) == (m["Campaign"], m["Date sent"])]  # fmt: skip
        assert any(x["Response"] == m["Response"] for x in same), (row, m)
    # The other book's Mobile values: in the result when the column is taken, else named.
    (col,) = plan.columns
    if choices[col.key] == TAKE:
        for row, value in col.values.items():
            if row in named_rows:
                continue
            company = frame.loc[row, "Company"]
            (at,) = [r for r, v in result.items() if v["Company"] == company]
            assert book[s.CUSTOMERS][at].get(col.letter) == value
