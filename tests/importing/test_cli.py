"""`crmbook import` and `crmbook customer export|erase` through the command line."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from crmbook.actions.importing import LOG
from crmbook.cli import main
from crmbook.core import schema as s
from tests.importing.helpers import clean_rows, copy, customers, rows


def run(*args: object) -> tuple[int, str]:
    done = CliRunner().invoke(main, [*map(str, args)])
    return done.exit_code, done.output


def test_import_json_then_apply(built: dict, tmp_path: Path) -> None:
    book, other = copy(built["en"], tmp_path / "a"), copy(built["nb-west"], tmp_path / "b")
    code, out = run("import", book, other, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["applied"] is False and data["source"] == "west.xlsx"
    assert data["new"] == len(data["new_customers"]) > 0 and data["rejected"] > 0
    code, out = run("import", book, other, "--apply")
    assert code == 0 and "Log sheet" in out, out
    code, out = run("import", book, other, "--apply")
    assert code == 0 and "Nothing to import" in out, out


def test_import_refuses_the_book_itself(built: dict, tmp_path: Path) -> None:
    book = copy(built["en"], tmp_path)
    code, out = run("import", book, book)
    assert code == 2 and "the workbook itself" in out


def test_import_refuses_a_workbook_that_is_no_register(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path / "here")
    before = book.read_bytes()
    wb = openpyxl.Workbook()
    wb.active.title = "Budsjett"
    wb.active.append(["Post", "Beløp"])
    wb.active.append(["Husleie", 12000])
    wb.save(tmp_path / "budget.xlsx")
    wb.active.title = "Kunder"  # the right sheet, but no Firma column
    wb.save(tmp_path / "kunder.xlsx")
    for other, says in (("budget.xlsx", "'Customers' is missing"), ("kunder.xlsx", "'Firma'")):
        code, out = run("import", book, tmp_path / other)
        assert code == 2 and says in out, out
        assert book.read_bytes() == before, "nothing written to BOOK"


def test_export_holds_everything_on_the_customer(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path)
    cid = _customer_with_purchases_and_mailings(book)
    code, out = run("customer", "export", book, cid)
    assert code == 0, out
    target = Path(out.strip())
    assert target.parent == book.parent and target.name == f"east-customer-{cid}.json"
    data = json.loads(target.read_text(encoding="utf-8"))
    (customer,) = data["sheets"]["Kunder"]
    assert customer["Kundenr"] == cid and customer["Firma"] == customers(book)[cid]["Company"]
    assert data["sheets"]["Kjøp"] and data["sheets"]["Utsendelser"]
    assert all(p["Kundenr"] == cid for p in data["sheets"]["Kjøp"])
    text = target.read_text(encoding="utf-8")  # whole numbers as integers, dates as ISO dates
    assert f'"Kundenr": {cid},' in text and not re.search(r"\d\.0,?$", text, re.MULTILINE)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", p["Dato"]) for p in data["sheets"]["Kjøp"])
    code, out = run("customer", "export", book, cid, "--out", tmp_path / "x" / "c.json")
    assert code == 0 and (tmp_path / "x" / "c.json").exists(), out
    assert run("customer", "export", book, 99999)[0] == 2


def test_erase_leaves_no_trace_of_the_customer(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path)
    assert run("select", book, "--selection", "Konferansetilbud")[0] == 0
    assert run("validate", book)[0] in (0, 1)
    cid = _customer_with_purchases_and_mailings(book, recipient=True)
    assert cid in {r[0] for r in rows(book, s.RECIPIENTS)[1:]}
    person = customers(book)[cid]
    secrets = [str(person[f]) for f in ("Company", "Email", "Contact person", "Phone") if person[f]]
    code, out = run("customer", "erase", book, cid)
    assert code == 0, out
    wb = CalamineWorkbook.from_path(str(book))
    for name in wb.sheet_names:
        text = json.dumps(wb.get_sheet_by_name(name).to_python(), default=str, ensure_ascii=False)
        assert not [x for x in secrets if x in text], name
    assert cid not in customers(book)
    log = rows(book, LOG)
    assert log[-1][1] == "Kunde slettet" and log[-1][2] == ""
    assert log[-1][3].startswith("tombstone ")  # keyed hashes only, no personal data
    assert log[-2][1] == "Slettenøkkel" and len(log[-2][3]) == 64  # the first erasure's key
    assert run("validate", book, "--no-write")[0] in (0, 1)


def test_a_moved_register_still_works(built: dict, tmp_path: Path) -> None:
    book = copy(built["en"], tmp_path / "first")
    moved = tmp_path / "elsewhere" / "deeper"
    moved.parent.mkdir()
    (tmp_path / "first").rename(moved)
    book = moved / book.name
    assert run("validate", book, "--no-write")[0] in (0, 1)
    code, out = run("select", book, "--selection", "Conference offer", "--json")
    assert code == 0 and json.loads(out)["count"] > 0, out
    template = "conference-offer.docx"  # found through the Template folder setting
    code, out = run("letters", book, "--selection", "Conference offer", "--template", template,
                    "--json")  # fmt: skip
    assert code == 0, out
    assert all(Path(f).is_relative_to(moved) for f in json.loads(out)["files"])
    with zipfile.ZipFile(book) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist())
    assert not re.search(rb"(file:///|[A-Za-z]:\\\\|/tmp/|/home/|/work/)", xml)


def _customer_with_purchases_and_mailings(book: Path, *, recipient: bool = False) -> int:
    mailed = {r[2] for r in rows(book, s.MAILINGS)[1:]}
    bought = {r[0] for r in rows(book, s.PURCHASES)[1:]}
    if recipient:
        bought &= {r[0] for r in rows(book, s.RECIPIENTS)[1:]}
    by_row = {row - 1: row for row in clean_rows(book)}
    return int(min(c for c in mailed & bought if int(c) in by_row))
