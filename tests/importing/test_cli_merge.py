"""End to end on real .xlsx files, in both languages: `crmbook customer erase`, then
`crmbook import A B` and `--apply` (the erased customer stays out unless taken), and a response
only the other register logged reaches this one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.importing import IMPORT, LOG
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.merge_values import org_key
from tests.importing.helpers import clean_rows, copy, customers, edit, rows

WORDS = {
    "nb": {"erased": "Slettet", "take": "ta", "mailing": "Endret utsendelse", "pos": "Positiv"},
    "en": {"erased": "Erased", "take": "take", "mailing": "Mailing change", "pos": "Positive"},
}


def run(*args: object) -> tuple[int, str]:
    done = CliRunner().invoke(main, [*map(str, args)])
    return done.exit_code, done.output


def set_choice(book: Path, action: str, value: str) -> None:
    """Type a Choice on every Import row with this action, as staff would in Excel."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    ws = wb["Import"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == action:
            row[7].value = value
    wb.save(book)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_erased_customer_stays_out_until_taken(built: dict, tmp_path: Path, lang: str) -> None:
    words = WORDS[lang]
    book = copy(built[lang], tmp_path / "here")
    other = copy(built[lang], tmp_path / "other", "vest.xlsx")  # still holds the customer
    row = clean_rows(book)[0]
    cid = int(rows(book, s.CUSTOMERS)[row - 1][0])
    person = customers(book)[cid]
    assert run("customer", "erase", book, cid)[0] == 0
    code, out = run("import", book, other, "--json")
    assert code == 0, out
    assert [(e["other_row"], e["choice"]) for e in json.loads(out)["erased_customers"]] == [
        (row, "keep")
    ]
    code, out = run("import", book, other)
    assert code == 0, out
    assert ("1 slettet kunde ikke" if lang == "nb" else "1 erased customer not") in out
    plan = rows(book, IMPORT)
    (erased,) = [r for r in plan if r[0] == words["erased"]]
    assert erased[2] == row and erased[3] == "" and erased[7] in ("behold", "keep")
    text = " ".join(str(v) for r in plan for v in r)
    assert str(person["Company"]) not in text  # the plan does not name the erased customer
    assert run("import", book, other, "--apply")[0] == 0
    names = {org_key(r["Org number"]) for r in customers(book).values()}
    assert org_key(person["Org number"]) not in names
    assert run("import", book, other)[0] == 0
    set_choice(book, words["erased"], words["take"].upper())
    code, out = run("import", book, other, "--apply")
    assert code == 0, out
    back = [r for r in customers(book).values() if r["Company"] == person["Company"]]
    assert len(back) == 1 and back[0]["Customer ID"] != cid  # a new ID here


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_other_registers_response_arrives(built: dict, tmp_path: Path, lang: str) -> None:
    words = WORDS[lang]
    book = copy(built[lang], tmp_path / "here")
    other = copy(built[lang], tmp_path / "other", "vest.xlsx")
    mailings = rows(book, s.MAILINGS)
    at = next(i for i, r in enumerate(mailings[1:], 2) if r[7] in ("Ikke svart", "No response"))
    edit(other, s.MAILINGS, {(at, "Response"): words["pos"]})
    code, out = run("import", book, other)
    assert code == 0, out
    changed = [r for r in rows(book, IMPORT) if r[0] == words["mailing"]]
    assert [r[6] for r in changed] == [words["pos"]] and changed[0][7] == words["take"]
    assert run("import", book, other, "--apply")[0] == 0
    assert rows(book, s.MAILINGS)[at - 1][7] == words["pos"]
    assert len(rows(book, s.MAILINGS)) == len(mailings)  # matched, not added twice
    assert rows(book, LOG)[-1][1] == "Import"


def add_column(book: Path, sheet: str, header: str, values: dict[int, object]) -> str:
    """A column of the user's own after the last one, as a colleague adds it in Excel."""
    from openpyxl import load_workbook

    from crmbook.book import layout

    wb = load_workbook(book)
    ws = wb[layout.find_sheet(sheet, wb.sheetnames)]
    col = max(c.column for c in ws[1] if c.value is not None) + 1
    ws.cell(1, col, header)
    for row, value in values.items():
        ws.cell(row, col, value)
    wb.save(book)
    return ws.cell(1, col).column_letter


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_extra_column_is_listed_and_added_when_taken(
    built: dict, tmp_path: Path, lang: str
) -> None:
    words = WORDS[lang]
    book = copy(built[lang], tmp_path / "here")
    other = copy(built[lang], tmp_path / "other", "vest.xlsx")
    matched, new = clean_rows(other)[0], 40
    edit(other, s.CUSTOMERS, {(new, "Company"): "Helt Ny Kro AS", (new, "Postal code"): "5003",
                              (new, "Address"): "Bryggen 1", (new, "City"): "Bergen",
                              (new, "Customer ID"): 900})  # fmt: skip
    letter = add_column(other, s.CUSTOMERS, "Private mobile", {matched: "900 11 222", new: "411"})
    label = "Ekstra kolonne" if lang == "nb" else "Extra column"
    assert run("import", book, other)[0] == 0
    (row,) = [r for r in rows(book, IMPORT) if r[0] == label]
    assert row[4] == "Private mobile" and row[7] in ("behold", "keep") and letter
    assert run("import", book, other, "--apply")[0] == 0
    assert "Private mobile" not in rows(book, s.CUSTOMERS)[0]  # keep: left out, as listed
    assert run("import", book, other)[0] == 0
    set_choice(book, label, words["take"])
    code, out = run("import", book, other, "--apply")
    assert code == 0, out
    sheet = rows(book, s.CUSTOMERS)
    at = sheet[0].index("Private mobile")
    mobiles = {str(r[1]): r[at] for r in sheet[1:] if r[at] != ""}
    assert set(mobiles.values()) == {"900 11 222", "411"}
    assert mobiles.get("Helt Ny Kro AS") == "411"
    assert _table_columns(book, "tblCustomers")[-1] == "Private mobile"  # in the table, filterable


def _table_columns(book: Path, name: str) -> list[str]:
    """The column names of an Excel table, as Excel shows them in its header row."""
    from openpyxl import load_workbook

    for ws in load_workbook(book).worksheets:
        if name in ws.tables:
            table = ws.tables[name]
            first, last = (ws[c].column for c in table.ref.split(":"))
            names = [c.name for c in table.tableColumns]
            heads = [ws.cell(1, c).value for c in range(first, last + 1)]
            assert names == heads, (names, heads)
            return names
    raise AssertionError(f"no table {name}")
