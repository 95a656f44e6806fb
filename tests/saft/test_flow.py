"""`crmbook import-saft` end to end on SAF-T files written in the published structure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from crmbook.actions.saft import import_saft
from crmbook.book import layout
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.merge_values import org_key
from crmbook.errors import RefusedError
from tests.importing.helpers import copy, customers, edit, rows
from tests.saft.saftxml import Customer, Invoice, Line, write

DAY = dt.date(2026, 2, 1)


def _file(book: Path, folder: Path) -> Path:
    """Two customers the book has (by org number; one with a new phone), one new customer,
    and four invoices with five lines on two accounts, one a credit note."""
    register = list(customers(book).values())
    orgs = Counter(org_key(c["Org number"]) for c in register)
    a, b = [
        c for c in register if org_key(c["Org number"]) and orgs[org_key(c["Org number"])] == 1
    ][:2]
    saft = [
        Customer("K1", typed.text(a["Company"]), typed.text(a["Org number"]),
                 postal=typed.text(a["Postal code"]), city=typed.text(a["City"]),
                 phone="22 33 44 55"),
        Customer("K2", typed.text(b["Company"]), typed.text(b["Org number"]),
                 postal=typed.text(b["Postal code"]), city=typed.text(b["City"])),
        Customer("K3", "Nyfirma Regnskap AS", None, postal="5003", city="Bergen"),
    ]  # fmt: skip
    invoices = [
        Invoice("1001", "K1", "2025-03-04", [Line("3000", "12000.00"), Line("3100", "800.50")]),
        Invoice("1002", "K2", "2025-04-05", [Line("3000", "5000.00")]),
        Invoice("1003", "K3", "2025-05-06", [Line("3100", "900.00")]),
        Invoice("1004", "K1", "2025-06-07", [Line("3000", "1000.00", "D")]),
    ]
    return write(folder / "regnskap.xml", saft, invoices)


def _map(book: Path, products: dict[str, str]) -> None:
    data = rows(book, s.PRODUCT_MAP)
    cells = {}
    for n, row in enumerate(data[1:], start=2):
        if str(row[0]) in products:
            cells[(n, "Product")] = products[str(row[0])]
    edit(book, s.PRODUCT_MAP, cells)


def _saft_purchases(book: Path) -> list[dict]:
    frame = read_register(book).frame(s.PURCHASES)
    return [r for r in frame.to_dict("records") if str(r["Note"] or "").startswith("SAF-T ")]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_plan_then_apply_then_rerun_adds_nothing(built: dict, tmp_path: Path, lang: str) -> None:
    book = copy(built[lang], tmp_path)
    file = _file(book, tmp_path)
    before = len(read_register(book).frame(s.CUSTOMERS))
    plan = import_saft(book, file, today=DAY)
    assert not plan.applied
    assert plan.saft.counts()["no_product"] == 5 and plan.saft.plan.matched == 2
    assert len(plan.saft.plan.new) == 1
    mapping = rows(book, s.PRODUCT_MAP)
    assert mapping[0] == layout.headers(s.PRODUCT_MAP, lang)
    assert [r[:2] for r in mapping[1:]] == [["3000", "Salgsinntekt overnatting"],
                                           ["3100", "Salgsinntekt mat og drikke"]]  # fmt: skip
    sheet = rows(book, s.IMPORT)
    assert sheet[1][3] == "regnskap.xml"
    assert any("K3" in str(r[8]) for r in sheet), "the Note names the accounting CustomerID"
    assert any(r[4] == layout.header(s.CUSTOMERS, "Phone", lang) and r[6] == "22 33 44 55"
               for r in sheet)  # fmt: skip
    with pytest.raises(RefusedError, match="3000, 3100"):
        import_saft(book, file, apply=True, today=DAY)
    assert not _saft_purchases(book)
    products = read_register(book).lists["product"]
    _map(book, {"3000": products[1], "3100": products[4]})
    done = import_saft(book, file, apply=True, today=DAY)
    assert done.applied and done.saft.counts()["purchases"] == 5
    added = _saft_purchases(book)
    assert sorted(r["Note"] for r in added) == [
        "SAF-T 1001/1",
        "SAF-T 1001/2",
        "SAF-T 1002/1",
        "SAF-T 1003/1",
        "SAF-T 1004/1",
    ]
    credit = next(r for r in added if r["Note"] == "SAF-T 1004/1")
    assert typed.number(credit["Amount (NOK)"]) == -1000.0
    assert typed.date(credit["Date"]) == dt.date(2025, 6, 7) and credit["Product"] == products[1]
    assert len(read_register(book).frame(s.CUSTOMERS)) == before + 1
    new_id = done.saft.plan.new[0].customer_id
    assert {typed.integer(r["Customer ID"]) for r in added if r["Note"] == "SAF-T 1003/1"} == {
        new_id
    }
    again = import_saft(book, file, apply=True, today=DAY)
    assert again.saft.counts()["purchases"] == 0 and again.saft.counts()["before"] == 5
    assert len(_saft_purchases(book)) == 5
    assert len(read_register(book).frame(s.CUSTOMERS)) == before + 1
    log = rows(book, s.LOG)
    assert sum(1 for r in log if "SAF-T" in str(r[1])) == 2


def test_take_choice_sets_the_phone_and_skip_leaves_an_account_out(
    built: dict, tmp_path: Path
) -> None:
    book = copy(built["nb"], tmp_path)
    file = _file(book, tmp_path)
    import_saft(book, file, today=DAY)
    sheet = rows(book, s.IMPORT)
    row = next(n for n, r in enumerate(sheet, start=1) if r[6] == "22 33 44 55")
    edit(book, s.IMPORT, {(row, "Choice"): "ta"})
    _map(book, {"3000": "hopp over", "3100": read_register(book).lists["product"][0]})
    done = import_saft(book, file, apply=True, today=DAY)
    assert done.saft.counts()["skipped"] == 3 and done.saft.counts()["purchases"] == 2
    phones = [typed.text(c["Phone"]) for c in customers(book).values()]
    assert "22 33 44 55" in phones


def test_a_product_not_on_the_list_refuses(built: dict, tmp_path: Path) -> None:
    book = copy(built["en"], tmp_path)
    file = _file(book, tmp_path)
    import_saft(book, file, today=DAY)
    _map(book, {"3000": "Spa", "3100": "skip"})
    with pytest.raises(RefusedError, match="row 2"):
        import_saft(book, file, apply=True, today=DAY)
    assert not _saft_purchases(book)


def test_a_customer_rejected_for_a_blank_address_still_gets_its_invoices(
    built: dict, tmp_path: Path
) -> None:
    """Accounting systems may hold no address: the row cannot be added or change anything,
    but the customer it matches by org number here still gets its invoice lines."""
    book = copy(built["en"], tmp_path)
    register = list(customers(book).values())
    orgs = Counter(org_key(c["Org number"]) for c in register)
    a = next(
        c for c in register if org_key(c["Org number"]) and orgs[org_key(c["Org number"])] == 1
    )
    saft = [Customer("K1", typed.text(a["Company"]), typed.text(a["Org number"]), street=None,
                     number=None, city=None, postal=None)]  # fmt: skip
    file = write(
        tmp_path / "bare.xml", saft, [Invoice("7", "K1", "2025-01-02", [Line("3000", "5")])]
    )
    plan = import_saft(book, file, today=DAY)
    assert len(plan.saft.plan.rejected) == 1 and plan.saft.counts()["no_customer"] == 0
    _map(book, {"3000": read_register(book).lists["product"][0]})
    import_saft(book, file, apply=True, today=DAY)
    (added,) = _saft_purchases(book)
    assert typed.integer(added["Customer ID"]) == typed.integer(a["Customer ID"])


def test_an_erased_customer_does_not_come_back_from_the_books(built: dict, tmp_path: Path) -> None:
    """Issue 18: erasure leaves a tombstone; the accounting system's copy of the customer is not
    added again (its invoices wait), unless someone takes its Erased row."""
    from crmbook.actions.importing import erase_customer
    from crmbook.book.filebook import FileBook

    book = copy(built["nb"], tmp_path)
    file = _file(book, tmp_path)
    first = import_saft(book, file, today=DAY)
    (k3,) = first.saft.plan.new
    products = read_register(book).lists["product"]
    _map(book, {"3000": products[1], "3100": products[4]})
    import_saft(book, file, apply=True, today=DAY)
    erase_customer(FileBook(book), k3.customer_id, today=DAY)
    before = len(read_register(book).frame(s.CUSTOMERS).dropna(subset=["Company"]))
    plan = import_saft(book, file, today=DAY)
    assert not plan.saft.plan.new and len(plan.saft.plan.erased) == 1
    erased = [r for r in rows(book, s.IMPORT) if r[0] == "Slettet"]
    assert len(erased) == 1 and "Nyfirma" not in str(erased)
    import_saft(book, file, apply=True, today=DAY)
    companies = read_register(book).frame(s.CUSTOMERS)["Company"].dropna()
    assert len(companies) == before and "Nyfirma Regnskap AS" not in set(companies)
