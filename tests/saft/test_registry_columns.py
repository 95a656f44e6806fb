"""The columns Brønnøysund fills (Industry code and text, Org form and text, Turnover year) on
a register made before they existed: the shipped demo and empty workbooks of the previous
release, kept as files. Every command reads them; a command that writes a value adds the column
after the sheet's last one; nothing else in the sheet moves."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crmbook.actions.enrich import Accounts, enrich_book
from crmbook.actions.importing import import_book
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows, SetCells
from crmbook.core.merge_values import org_key
from tests.importing.helpers import copy, customers, edit, rows

FIXTURES = Path(__file__).parent / "brreg"
OLD = FIXTURES / "register-before-issue-17.xlsx"  # workbook/crmbook-demo.xlsx before issue 17
LATE = ("Næringskode", "Næringstekst", "Org.form", "Org.form tekst", "Omsetningsår")


def _header(book: Path) -> list[object]:
    return rows(book, s.CUSTOMERS)[0]


def test_an_old_register_reads_validates_and_selects(tmp_path: Path) -> None:
    book = copy(OLD, tmp_path)
    register = read_register(book)  # strict: the late headers are not required
    assert not set(s.LATE[s.CUSTOMERS]) & set(register.sheets[s.CUSTOMERS].columns)
    done = CliRunner().invoke(main, ["validate", str(book), "--json", "--no-write"])
    assert done.exit_code == 1  # the demo's planted mistakes, nothing about missing columns
    issues = json.loads(done.output)["issues"]
    assert len(issues) == 7 and not {i["field"] for i in issues} & s.LATE[s.CUSTOMERS]
    selections = [["Hoteller", 1, "Næringskode", "starts with", "55"],
                  ["Nye", 1, "Omsetningsår", ">=", 2024]]  # fmt: skip
    FileBook(book).apply([AppendRows(s.SELECTIONS, selections)])
    for name in ("Hoteller", "Nye"):
        done = CliRunner().invoke(main, ["select", str(book), "--selection", name, "--json",
                                         "--no-write"])  # fmt: skip
        assert done.exit_code == 0, done.output
        assert json.loads(done.output)["count"] == 0


def _bulk(tmp_path: Path, org: str) -> tuple[Path, Path]:
    entity = json.loads((FIXTURES / "enhet.json").read_text(encoding="utf-8").replace("ORGNR", org))
    enheter = tmp_path / "enheter.json"
    enheter.write_text(json.dumps([entity], ensure_ascii=False), encoding="utf-8")
    accounts = tmp_path / "regnskap.json"
    text = (FIXTURES / "regnskap.json").read_text(encoding="utf-8").replace("ORGNR", org)
    accounts.write_text(text, encoding="utf-8")
    return enheter, accounts


def test_enrich_adds_the_columns_after_the_users_own(tmp_path: Path) -> None:
    book = copy(OLD, tmp_path)
    before = rows(book, s.CUSTOMERS)
    width = len(before[0])
    own = "Mobil privat"
    FileBook(book).apply([SetCells(s.CUSTOMERS, {(1, "Y"): own, (2, "Y"): "900 00 000"})])
    first = customers(book)[1]
    org = org_key(first["Org number"])
    enheter, accounts = _bulk(tmp_path, org)
    plan = enrich_book(book, enheter, accounts=Accounts(api=False, file=accounts))
    by_field = {c.field: c for c in plan.enrich.plan.changes if c.customer_id == 1}
    assert (
        by_field["Industry code"].other == "55.101" and by_field["Industry code"].choice == "take"
    )
    assert by_field["Org form"].other == "AS" and by_field["Org form text"].other == "Aksjeselskap"
    turnover = by_field["Turnover (NOK)"]
    assert turnover.other == 655123456 and turnover.choice == "keep"  # typed here: kept
    assert by_field["Turnover year"].choice == "keep"  # follows the turnover it belongs to
    assert "årsregnskap 2024" in by_field["Turnover year"].note
    enrich_book(book, enheter, accounts=Accounts(api=False, file=accounts), apply=True)
    after = rows(book, s.CUSTOMERS)
    assert after[0][: width + 1] == [*before[0], own]
    assert after[0][width + 1 :] == list(LATE[:4])  # the year was not written: no column
    assert after[1][width + 1 : width + 5] == ["55.101", first_text(), "AS", "Aksjeselskap"]
    assert all(r[:width] == b[:width] for r, b in zip(after[2:], before[2:], strict=True))
    register = read_register(book)
    assert register.sheets[s.CUSTOMERS].columns["Industry code"] == "Z"
    again = enrich_book(book, enheter, accounts=Accounts(api=False, file=accounts))
    assert not {"Industry code", "Org form"} & {c.field for c in again.enrich.plan.changes}


def first_text() -> str:
    return "Drift av hoteller, pensjonater og moteller med restaurant"


def test_blank_turnover_takes_the_accounts_with_their_year(tmp_path: Path) -> None:
    book = copy(OLD, tmp_path)
    letters = read_register(book).sheets[s.CUSTOMERS].columns
    blank = {(2, letters["Turnover (NOK)"]): None, (2, letters["Turnover band"]): None}
    FileBook(book).apply([SetCells(s.CUSTOMERS, blank)])
    org = org_key(customers(book)[1]["Org number"])
    enheter, accounts = _bulk(tmp_path, org)
    enrich_book(book, enheter, accounts=Accounts(api=False, file=accounts), apply=True)
    mine = read_register(book).frame(s.CUSTOMERS).loc[2]
    assert mine["Turnover (NOK)"] == 655123456 and mine["Turnover band"] == "≥500 M"
    assert typed.integer(mine["Turnover year"]) == 2024  # the company's 2024 accounts, not 2023
    done = CliRunner().invoke(main, ["validate", str(book), "--json", "--no-write"])
    assert not [i for i in json.loads(done.output)["issues"] if i["row"] == 2]


def test_import_carries_the_columns_both_ways(tmp_path: Path) -> None:
    old = copy(OLD, tmp_path / "old")
    new = create(tmp_path / "new" / "ny.xlsx", lang="nb", demo=200, seed=1, templates=False)
    back = import_book(new, old, apply=False)  # the old book has nothing for the new columns
    assert not {c.field for c in back.plan.changes} & s.LATE[s.CUSTOMERS]
    plan = import_book(old, new)
    late = [c for c in plan.plan.changes if c.field in s.LATE[s.CUSTOMERS]]
    assert late and all(c.choice == "keep" for c in late)
    sheet = rows(old, s.IMPORT)
    row = next(n for n, r in enumerate(sheet, start=1) if r[4] == "Næringskode" and r[1] == 1)
    edit(old, s.IMPORT, {(row, "Choice"): "ta"})
    import_book(old, new, apply=True)
    header = _header(old)
    assert header[-1] == "Næringskode" and len(header) == 25
    assert customers(old)[1]["Industry code"] == customers(new)[1]["Industry code"]
    assert customers(old)[2]["Industry code"] is None


def test_selections_filter_on_the_columns_in_either_language(tmp_path: Path) -> None:
    book = create(tmp_path / "ny.xlsx", lang="nb", demo=120, seed=2, templates=False)
    frame = read_register(book).frame(s.CUSTOMERS)
    selections = [["Hoteller", 1, "Næringskode", "starts with", "55."],
                  ["Selskaper", 1, "Org form", "one of", "AS;ASA"],
                  ["Ferske tall", 1, "Omsetningsår", ">=", 2025]]  # fmt: skip
    FileBook(book).apply([AppendRows(s.SELECTIONS, selections)])
    expected = {
        "Hoteller": (frame["Industry code"].astype(str).str.startswith("55.")).sum(),
        "Selskaper": frame["Org form"].isin(["AS", "ASA"]).sum(),
        "Ferske tall": frame["Turnover year"].notna().sum(),
    }
    no_marketing = frame["No marketing"] == "Ja"
    for name, count in expected.items():
        done = CliRunner().invoke(main, ["select", str(book), "--selection", name, "--json",
                                         "--no-write"])  # fmt: skip
        assert done.exit_code == 0, done.output
        got = json.loads(done.output)["count"]
        assert 0 < got <= count and got >= count - no_marketing.sum(), name
