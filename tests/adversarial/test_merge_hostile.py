"""Hostile office cases for merging registers and erasure tombstones: hand-edited Log rows,
choices typed on the wrong rows, a plan left over from another file, repeated headers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core import tombstones as t
from crmbook.core.merge import plan_import
from crmbook.core.register import Register
from tests.adversarial.lock_helpers import build
from tests.importing.helpers import clean_rows, customers, rows
from tests.registers import register, sheet

FJORD = (
    "| Customer ID | Company | Org number | Postal code |\n| 7 | Fjord AS | '912345602' | 5003 |"
)


def run(*args: object) -> tuple[int, str]:
    done = CliRunner().invoke(main, [*map(str, args)])
    return done.exit_code, done.output


def with_log(text: str) -> Register:
    reg = register()
    return replace(reg, sheets={**reg.sheets, s.LOG: sheet(s.LOG, text)})


def test_garbled_tombstones_and_keys_are_ignored_not_a_crash() -> None:
    stone = t.tombstone("ab" * 32, "912345602", "Fjord AS", "5003")
    log = with_log("\n".join([
        "| Date | Event | Source | Details |",
        "| 2026-01-05 | Erasure key | | |",  # the key cleared by hand
        "| 2026-01-05 | Customer erased | | tombstone |",
        "| 2026-01-05 | Customer erased | | tombstone x org= name |",
        f"| 2026-01-05 | Import | | {stone.details()} |",  # not an erasure row
        "| not a date | Customer erased | | |",
    ]))  # fmt: skip
    plan = plan_import(log, register(customers=FJORD), "west.xlsx")
    assert len(plan.new) == 1 and plan.erased == ()


def test_an_erasure_whose_key_was_deleted_stops_nothing_but_the_next_erasure_still_works(
    tmp_path: Path,
) -> None:
    book = build(tmp_path, "en", demo=20, seed=3)
    first, second = clean_rows(book)[:2]
    ids = [int(rows(book, s.CUSTOMERS)[r - 1][0]) for r in (first, second)]
    assert run("customer", "erase", book, ids[0])[0] == 0
    assert run("customer", "erase", book, ids[1])[0] == 0
    log = rows(book, s.LOG)
    assert [r[1] for r in log].count("Erasure key") == 1  # one key per workbook
    assert [r[1] for r in log].count("Customer erased") == 2


def test_a_take_typed_on_an_erased_row_of_another_files_plan_is_not_used(tmp_path: Path) -> None:
    book = build(tmp_path / "here", "nb", demo=20, seed=3)
    other = build(tmp_path / "other", "nb", demo=20, seed=3, name="vest.xlsx")
    third = build(tmp_path / "third", "nb", demo=20, seed=3, name="nord.xlsx")
    row = clean_rows(book)[0]
    cid = int(rows(book, s.CUSTOMERS)[row - 1][0])
    company = customers(book)[cid]["Company"]
    assert run("customer", "erase", book, cid)[0] == 0
    assert run("import", book, other)[0] == 0
    wb = load_workbook(book)
    for cells in wb["Import"].iter_rows(min_row=2):
        if cells[0].value == "Slettet":
            cells[7].value = "ta"
    wb.save(book)
    code, out = run("import", book, third, "--apply")  # the plan on the sheet is for vest.xlsx
    assert code == 0, out
    assert company not in {r["Company"] for r in customers(book).values()}


def test_an_unreadable_choice_on_an_erased_row_refuses_the_apply(tmp_path: Path) -> None:
    book = build(tmp_path / "here", "en", demo=20, seed=3)
    other = build(tmp_path / "other", "en", demo=20, seed=3, name="west.xlsx")
    cid = int(rows(book, s.CUSTOMERS)[clean_rows(book)[0] - 1][0])
    assert run("customer", "erase", book, cid)[0] == 0
    assert run("import", book, other)[0] == 0
    wb = load_workbook(book)
    for cells in wb["Import"].iter_rows(min_row=2):
        if cells[0].value == "Erased":
            cells[7].value = "maybe"
    wb.save(book)
    before = book.read_bytes()
    code, out = run("import", book, other, "--apply")
    assert code == 1 and "cannot be read" in out and "'maybe'" in out, out
    assert book.read_bytes() == before


def test_a_header_written_twice_in_the_other_book_is_listed_twice(tmp_path: Path) -> None:
    book = build(tmp_path / "here", "en", demo=20, seed=3)
    other = build(tmp_path / "other", "en", demo=20, seed=3, name="west.xlsx")
    wb = load_workbook(other)
    ws = wb["Customers"]
    width = max(c.column for c in ws[1] if c.value is not None)
    for offset, value in ((1, "900"), (2, "411")):
        ws.cell(1, width + offset, "Mobile")
        ws.cell(2, width + offset, value)
    wb.save(other)
    assert run("import", book, other)[0] == 0
    listed = [r[4] for r in rows(book, "Import") if r[0] == "Extra column"]
    assert listed == ["Mobile", "Mobile (2)"]
