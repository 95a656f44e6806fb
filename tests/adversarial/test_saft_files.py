"""Hostile SAF-T files: each is refused with the file, line and element named, and the
workbook is left byte for byte as it was (nothing half-imported)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.book.builder import create
from crmbook.cli import main
from tests.saft.saftxml import NS, Customer, Invoice, Line, header, write

GOOD = [Customer("K1", "Fjord Catering AS", postal="5003", city="Bergen")]
INVOICE = [Invoice("1001", "K1", "2025-03-04", [Line("3000", "100.00")])]


@pytest.fixture(scope="module")
def book_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create(tmp_path_factory.mktemp("saft") / "hotel.xlsx", lang="en", demo=10, seed=5)


def _run(book: Path, file: Path, *more: str) -> tuple[int, str]:
    before = book.read_bytes()
    done = CliRunner().invoke(main, ["import-saft", str(book), str(file), *more])
    assert book.read_bytes() == before, "a refused file must leave the workbook as it was"
    return done.exit_code, done.output


def _text(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _swap(tmp_path: Path, old: str, new: str) -> Path:
    good = write(tmp_path / "good.xml", GOOD, INVOICE).read_text(encoding="utf-8")
    assert old in good
    return _text(tmp_path, good.replace(old, new, 1))


def test_older_schema_version(book_en: Path, tmp_path: Path) -> None:
    file = write(tmp_path / "old.xml", GOOD, INVOICE, version="1.20")
    code, out = _run(book_en, file)
    assert code == 2
    assert "old.xml, line 4, <AuditFileVersion>" in out and "version 1.20" in out
    assert "1.30" in out


def test_not_saft_at_all(book_en: Path, tmp_path: Path) -> None:
    file = _text(tmp_path, '<?xml version="1.0"?>\n<Invoice xmlns="urn:oasis:names:'
                 'specification:ubl:schema:xsd:Invoice-2"><ID>1</ID></Invoice>\n')  # fmt: skip
    code, out = _run(book_en, file)
    assert code == 2 and "bad.xml, line 2, <Invoice>" in out and "not a Norwegian SAF-T" in out


def test_truncated_xml_names_the_line(book_en: Path, tmp_path: Path) -> None:
    good = write(tmp_path / "good.xml", GOOD, INVOICE).read_text(encoding="utf-8")
    file = _text(tmp_path, good[: good.index("<InvoiceDate>")])
    code, out = _run(book_en, file)
    last = file.read_text(encoding="utf-8").count("\n") + 1
    assert code == 2 and "not well-formed XML" in out and f"line {last}" in out


def test_header_only_file_has_nothing_to_import(book_en: Path, tmp_path: Path) -> None:
    file = _text(tmp_path, f'<AuditFile xmlns="{NS}">\n{header()}</AuditFile>\n')
    code, out = _run(book_en, file)
    assert code == 2 and "neither customers" in out and "MasterFiles/Customers" in out


def test_invoice_of_an_unknown_customer(book_en: Path, tmp_path: Path) -> None:
    invoices = [*INVOICE, Invoice("1002", "K9", "2025-03-05", [Line("3000", "5.00")]),
                Invoice("1003", None, "2025-03-05", [Line("3000", "5.00")])]  # fmt: skip
    file = write(tmp_path / "unknown.xml", GOOD, invoices)
    code, out = _run(book_en, file)
    assert code == 2 and "2 invoices name a customer that is not in MasterFiles/Customers" in out
    assert "invoice 1002 (line" in out and "customer K9" in out and "nothing was imported" in out


@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        ("<Amount>100.00</Amount>", "<Amount>1 000,00</Amount>", "<InvoiceLineAmount>"),
        ("<DebitCreditIndicator>C<", "<DebitCreditIndicator>K<", "<DebitCreditIndicator>"),
        ("<InvoiceDate>2025-03-04<", "<InvoiceDate>04.03.2025<", "<InvoiceDate>"),
        ("<AccountID>3000</AccountID>\n", "", "<AccountID>"),
        ("<CustomerID>K1</CustomerID>\n        <BalanceAccount>", "<BalanceAccount>", "<Customer>"),
    ],
)
def test_unreadable_values_name_element_and_line(
    book_en: Path, tmp_path: Path, old: str, new: str, element: str
) -> None:
    file = _swap(tmp_path, old, new)
    code, out = _run(book_en, file, "--json")
    assert code == 2 and "bad.xml, line " in out and element in out
    assert json.loads(out.splitlines()[-1])["exit_code"] == 2


def test_an_invoice_number_twice(book_en: Path, tmp_path: Path) -> None:
    file = write(tmp_path / "twice.xml", GOOD, [*INVOICE, *INVOICE])
    code, out = _run(book_en, file)
    assert code == 2 and "invoice number 1001 also appears at line" in out


def test_an_entity_is_not_expanded(book_en: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    good = write(tmp_path / "good.xml", GOOD, INVOICE).read_text(encoding="utf-8")
    doctype = f'<!DOCTYPE AuditFile [<!ENTITY x SYSTEM "file://{secret}">]>\n'
    text = good.replace("\n", "\n" + doctype, 1).replace("Fjord Catering AS", "&x;")
    _code, out = _run(book_en, _text(tmp_path, text))
    assert "TOP SECRET" not in out
