"""A small SAF-T Financial 1.30 file for the demo: the accounting system's view of a register.

Some of the register's customers (by org number, one with a newer phone), two the register
lacks, and a year of sales invoices on three sales accounts, in the element order of the
published schema (Skatteetaten/saf-t, Norwegian_SAF-T_Financial_Schema_v_1.30.xsd).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from lxml import etree

from crmbook.book.saft_file import NS, VERSION
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.merge_values import org_key
from crmbook.core.register import Register

#: Sales accounts of the demo file, and which product of the list each is mapped to (None:
#: skip). Indexes into the book's product list.
ACCOUNTS = {
    "3000": ("Salgsinntekt overnatting", 1),
    "3100": ("Salgsinntekt mat og drikke", 4),
    "3600": ("Leieinntekt parkering", None),
}
SHARED = 4  # register customers the accounting system has too
NEW = (
    ("Regnskapskunde Nord AS", "Storgata 1", "9008", "Tromsø"),
    ("Regnskapskunde Sør AS", "Markens gate 2", "4610", "Kristiansand"),
)


def write_demo_saft(register: Register, path: Path, today: dt.date, seed: int = 1) -> Path:
    """Write the demo file at ``path`` and return it."""
    rng = random.Random(seed)
    root = etree.Element(_q("AuditFile"), nsmap={None: NS})
    _header(etree.SubElement(root, _q("Header")), today)
    masters = etree.SubElement(root, _q("MasterFiles"))
    ledger = etree.SubElement(masters, _q("GeneralLedgerAccounts"))
    for account, (name, _) in ACCOUNTS.items():
        _sub(ledger, "Account", [("AccountID", account), ("AccountDescription", name),
             ("GroupingCategory", "RF-1167"), ("GroupingCode", account),
             ("AccountType", "GL"), ("OpeningDebitBalance", "0.00"),
             ("ClosingCreditBalance", "0.00")])  # fmt: skip
    ids = _customers(etree.SubElement(masters, _q("Customers")), register)
    sales = etree.SubElement(etree.SubElement(root, _q("SourceDocuments")), _q("SalesInvoices"))
    for name, value in (("NumberOfEntries", "0"), ("TotalDebit", "0.00"), ("TotalCredit", "0.00")):
        etree.SubElement(sales, _q(name)).text = value
    for n in range(30):
        day = today - dt.timedelta(days=rng.randint(5, 360))
        _invoice(sales, str(20001 + n), rng.choice(ids), day, rng)
    etree.ElementTree(root).write(str(path), xml_declaration=True, encoding="UTF-8",
                                  pretty_print=True)  # fmt: skip
    return path


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: etree._Element, name: str, children: list[tuple[str, str]]) -> etree._Element:
    elem = etree.SubElement(parent, _q(name))
    for child, text in children:
        etree.SubElement(elem, _q(child)).text = text
    return elem


def _header(header: etree._Element, today: dt.date) -> None:
    for name, text in (("AuditFileVersion", VERSION), ("AuditFileCountry", "NO"),
                       ("AuditFileDateCreated", today.isoformat()),
                       ("SoftwareCompanyName", "Demo Regnskap AS"),
                       ("SoftwareID", "Demo Regnskap"), ("SoftwareVersion", "1.0")):  # fmt: skip
        etree.SubElement(header, _q(name)).text = text
    company = _sub(header, "Company", [("RegistrationNumber", "999999999"),
                                       ("Name", "Demohotellet AS")])  # fmt: skip
    _sub(company, "Address", [("City", "Bergen"), ("PostalCode", "5003")])
    _sub(_sub(company, "Contact", []), "ContactPerson", [("FirstName", "Ola"),
                                                         ("LastName", "Nordmann")])  # fmt: skip
    etree.SubElement(header, _q("DefaultCurrencyCode")).text = "NOK"
    year = str(today.year)
    period = [("PeriodStart", "1"), ("PeriodStartYear", year), ("PeriodEnd", "12"),
              ("PeriodEndYear", year)]  # fmt: skip
    _sub(header, "SelectionCriteria", period)
    etree.SubElement(header, _q("TaxAccountingBasis")).text = "A"


def _customers(parent: etree._Element, register: Register) -> list[str]:
    """Shared customers (by org number; the first with a newer phone) and new ones."""
    frame = register.frame(s.CUSTOMERS)
    keys = [org_key(v) for v in frame["Org number"]]
    unique = [i for i, k in enumerate(keys) if k and len(k) == 9 and keys.count(k) == 1]
    ids = []
    for n, i in enumerate(unique[:SHARED]):
        rec = frame.iloc[i]
        phone = "+47 913 00 000" if n == 0 else typed.text(rec["Phone"])
        place = (
            typed.text(rec["Address"]),
            typed.text(rec["Postal code"]),
            typed.text(rec["City"]),
        )
        ids.append(_customer(parent, f"K{10 + n}", typed.text(rec["Company"]) or "", keys[i],
                             place, phone))  # fmt: skip
    for n, (name, street, postal, city) in enumerate(NEW):
        ids.append(_customer(parent, f"K{50 + n}", name, None, (street, postal, city), None))
    return ids


def _customer(
    parent: etree._Element, cid: str, name: str, org: str | None,
    place: tuple[str | None, str | None, str | None], phone: str | None,
) -> str:  # fmt: skip
    customer = etree.SubElement(parent, _q("Customer"))
    if org:
        etree.SubElement(customer, _q("RegistrationNumber")).text = org
    etree.SubElement(customer, _q("Name")).text = name
    street, postal, city = place
    address = [("StreetName", street), ("City", city), ("PostalCode", postal), ("Country", "NO")]
    _sub(customer, "Address", [(k, v) for k, v in address if v])
    if phone:
        _sub(customer, "Contact", [("Telephone", phone)])
    etree.SubElement(customer, _q("CustomerID")).text = cid
    return cid


def _invoice(parent: etree._Element, no: str, cid: str, day: dt.date, rng: random.Random) -> None:
    invoice = _sub(parent, "Invoice", [("InvoiceNo", no)])
    _sub(invoice, "CustomerInfo", [("CustomerID", cid)])
    etree.SubElement(invoice, _q("InvoiceDate")).text = day.isoformat()
    for n, account in enumerate(rng.sample(sorted(ACCOUNTS), rng.randint(1, 3)), start=1):
        amount = f"{rng.randint(2, 90) * 500:.2f}"
        line = _sub(invoice, "Line", [("LineNumber", str(n)), ("AccountID", account),
                                      ("UnitPrice", amount), ("TaxPointDate", day.isoformat()),
                                      ("Description", ACCOUNTS[account][0])])  # fmt: skip
        _sub(line, "InvoiceLineAmount", [("Amount", amount)])
        etree.SubElement(line, _q("DebitCreditIndicator")).text = "C"
