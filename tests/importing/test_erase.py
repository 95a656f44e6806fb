"""`crmbook customer erase` finds every trace: sheet rows, the Import plan, and files to delete."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from crmbook.actions.importing import IMPORT, export_customer
from crmbook.book.filebook import FileBook
from crmbook.book.live import LiveBook
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.merge_privacy import customer_rows
from tests.addin import fakexl
from tests.importing.helpers import copy, customers, edit, rows
from tests.registers import register, sheet


def run(*args: object) -> tuple[int, str]:
    done = CliRunner().invoke(main, [*map(str, args)])
    return done.exit_code, done.output


def test_erase_lists_every_file_that_holds_the_customer(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path / "here")
    code, out = run("letters", book, "--selection", "Konferansetilbud", "--template",
                    "konferansetilbud.docx", "--campaign", "Vår", "--json")  # fmt: skip
    assert code == 0, out
    letter = Path(json.loads(out)["files"][0])
    cid = int(letter.name.split()[0])
    folder = letter.parent
    for made in (letter.with_suffix(".pdf"), folder / "alle brev.pdf"):  # as --pdf makes them
        made.write_bytes(b"%PDF")
    other = tmp_path / "here" / "letters" / "Annen"  # a campaign the customer was not in
    other.mkdir()
    (other / "alle brev.docx").write_bytes(b"x")
    (other / "manifest.json").write_text('{"letters": [{"customer_id": 999999}]}')
    assert run("customer", "export", book, cid)[0] == 0
    code, out = run("customer", "erase", book, cid)
    assert code == 0, out
    listed = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert sorted(listed) == sorted([
        f"letters/Vår/{letter.name}",
        f"letters/Vår/{letter.stem}.pdf",
        "letters/Vår/alle brev.docx",
        "letters/Vår/alle brev.pdf",
        "letters/Vår/manifest.json",
        f"east-customer-{cid}.json",
    ])  # fmt: skip
    assert "sletter ikke filer" in out
    assert letter.exists() and (book.parent / f"east-customer-{cid}.json").exists()


def test_erase_blanks_the_import_rows_that_name_the_customer(built: dict, tmp_path: Path) -> None:
    book, other = copy(built["nb"], tmp_path / "here"), copy(built["nb"], tmp_path / "other")
    person = customers(book)[5]
    row = 1 + 5  # the demo's Customer ID n is on row n + 1
    edit(other, "Customers", {(row, "Customer ID"): None, (row, "Email"): "ikke en e-post"})
    assert run("import", book, other)[0] == 0
    plan = rows(book, IMPORT)
    assert any(r[0] == "Avvist" and r[3] == person["Company"] for r in plan)
    assert any(r[1] == 5 for r in plan)  # "Bare her": it has no Customer ID in the other book
    code, out = run("customer", "erase", book, 5)
    assert code == 0, out
    text = json.dumps(rows(book, IMPORT), ensure_ascii=False, default=str)
    assert person["Company"] not in text and str(person["Org number"]) not in text
    others = [c["Company"] for i, c in customers(book).items() if i != 5]
    assert any(c in text for c in others)  # only the erased customer's rows are blanked
    wb = CalamineWorkbook.from_path(str(book))
    assert wb.sheet_names  # the workbook still opens


def test_import_rows_name_the_customer_by_id_company_or_org_number() -> None:
    here = register(
        """
        | Customer ID | Company  | Org number  |
        | 1           | Fjord AS | 974760673   |
        | 2           | Berg AS  | 912345678   |
        """
    )
    plan = sheet(
        IMPORT,
        """
        | Action   | Customer ID | Other row | Company   | Note                                 |
        | Source   |             |           | west.xlsx | 1 new customer                       |
        | Only here| 1           |           | Fjord AS  |                                      |
        | Rejected |             | 7         | FJORD A/S | Customers: e-mail is not an e-mail   |
        | Rejected |             | 9         | Fjorden   | Customers: 974 760 673 is on row 3   |
        | Rejected |             | 11        | Berg AS   | Customers: 912345678 is on row 3     |
        | Change   | 2           | 4         | Berg AS   |                                      |
        """,
    )
    book = replace(here, sheets={**here.sheets, IMPORT: plan})
    assert customer_rows(book, 1, extra=[IMPORT])[IMPORT] == [3, 4, 5]


def test_export_and_erase_take_the_columns_the_user_added(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path)
    purchases = dict(enumerate(rows(book, s.PURCHASES)[1:], start=2))
    cid = int(purchases[2][0])
    bought = [row for row, r in purchases.items() if r[0] == cid]
    other_row = next(row for row, r in purchases.items() if r[0] not in ("", cid))
    wb = load_workbook(book)
    kunder, kjop = wb["Kunder"], wb["Kjøp"]
    mobile, firma, note = (ws.max_column + 1 for ws in (kunder, kunder, kjop))
    firma += 1
    kunder.cell(1, mobile, "Privat mobil")
    kunder.cell(1, firma, "Firma")  # a second column with a header crmbook knows
    kunder.cell(cid + 1, mobile, "900 11 222")
    kunder.cell(cid + 1, firma, "Familieholding AS")
    kjop.cell(1, note, "Kommentar")
    for row in bought:
        kjop.cell(row, note, "ringte privat om faktura")
    kjop.cell(other_row, note, "another customer's note")
    wb.save(book)
    before = {key: len(rows(book, key)) for key in (s.CUSTOMERS, s.PURCHASES)}

    code, out = run("customer", "export", book, cid)
    assert code == 0, out
    data = json.loads(Path(out.strip()).read_text(encoding="utf-8"))
    (customer,) = data["sheets"]["Kunder"]
    assert customer["Privat mobil"] == "900 11 222"
    assert customer["Firma (2)"] == "Familieholding AS"
    assert customer["Firma"] == customers(book)[cid]["Company"]
    assert None not in customer.values(), "only the cells that hold something"
    assert [p["Kommentar"] for p in data["sheets"]["Kjøp"]] == ["ringte privat om faktura"] * len(
        bought
    )

    code, out = run("customer", "erase", book, cid)
    assert code == 0, out
    wb = CalamineWorkbook.from_path(str(book))
    text = json.dumps([wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names], default=str,
                      ensure_ascii=False)  # fmt: skip
    for secret in ("900 11 222", "Familieholding AS", "ringte privat om faktura"):
        assert secret not in text
    assert "another customer's note" in text
    assert {key: len(rows(book, key)) for key in before} == before, "no row moved"


def test_a_live_export_reads_the_same_cells_as_the_file(built: dict, tmp_path: Path) -> None:
    book = copy(built["nb"], tmp_path)
    wb = load_workbook(book)
    wb["Kunder"].cell(4, wb["Kunder"].max_column + 1, "privat")
    wb.save(book)
    live = export_customer(LiveBook(fakexl.load(book)), 3)
    assert live == export_customer(FileBook(book), 3)
    assert "privat" in live["sheets"]["Kunder"][0].values()


def test_erase_lists_no_letter_file_that_does_not_exist(built: dict, tmp_path: Path) -> None:
    """The demo's Mailings name letter files nobody made: they are not listed as left behind."""
    book = copy(built["nb"], tmp_path / "here")
    mailings = [r for r in rows(book, s.MAILINGS)[1:] if r[6]]
    assert mailings, "the demo register should record letter files"
    cid = int(mailings[0][2])
    assert not (book.parent / str(mailings[0][6])).exists()
    code, out = run("customer", "erase", book, cid)
    assert code == 0, out
    listed = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert listed == []
