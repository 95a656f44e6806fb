"""SAF-T Financial 1.30 files written as the published schema orders them (Skatteetaten/saf-t,
Norwegian_SAF-T_Financial_Schema_v_1.30.xsd): Header, MasterFiles (GeneralLedgerAccounts,
Customers), GeneralLedgerEntries, SourceDocuments/SalesInvoices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

NS = "urn:StandardAuditFile-Taxation-Financial:NO"


@dataclass
class Customer:
    cid: str
    name: str
    org: str | None = None
    street: str | None = "Storgata"
    number: str | None = "1"
    city: str | None = "Oslo"
    postal: str | None = "0150"
    country: str = "NO"
    first: str | None = "Kari"
    last: str | None = "Nordmann"
    phone: str | None = None
    email: str | None = None


@dataclass
class Line:
    account: str
    amount: str
    indicator: str = "C"
    description: str = "Salg"
    number: str | None = None


@dataclass
class Invoice:
    no: str
    customer: str | None
    date: str
    lines: Sequence[Line] = field(default_factory=list)


def _el(name: str, value: object | None, indent: str) -> str:
    return "" if value is None else f"{indent}<{name}>{escape(str(value))}</{name}>\n"


def header(version: str = "1.30") -> str:
    return (
        "  <Header>\n"
        f"    <AuditFileVersion>{version}</AuditFileVersion>\n"
        "    <AuditFileCountry>NO</AuditFileCountry>\n"
        "    <AuditFileDateCreated>2026-01-31</AuditFileDateCreated>\n"
        "    <SoftwareCompanyName>Regnskap AS</SoftwareCompanyName>\n"
        "    <SoftwareID>Regnskap</SoftwareID>\n"
        "    <SoftwareVersion>9.1</SoftwareVersion>\n"
        "    <Company>\n      <RegistrationNumber>999999999</RegistrationNumber>\n"
        "      <Name>Hotell Fjord AS</Name>\n"
        "      <Address><City>Bergen</City><PostalCode>5003</PostalCode></Address>\n"
        "      <Contact><ContactPerson><FirstName>Ola</FirstName><LastName>Nordmann</LastName>"
        "</ContactPerson></Contact>\n    </Company>\n"
        "    <DefaultCurrencyCode>NOK</DefaultCurrencyCode>\n"
        "    <SelectionCriteria><PeriodStart>1</PeriodStart><PeriodStartYear>2025</PeriodStartYear>"
        "<PeriodEnd>12</PeriodEnd><PeriodEndYear>2025</PeriodEndYear></SelectionCriteria>\n"
        "    <TaxAccountingBasis>A</TaxAccountingBasis>\n"
        "  </Header>\n"
    )


def customer(c: Customer) -> str:
    i = "        "
    address = (f"{i}<Address>\n" + _el("StreetName", c.street, i + "  ")
               + _el("Number", c.number, i + "  ") + _el("City", c.city, i + "  ")
               + _el("PostalCode", c.postal, i + "  ") + _el("Country", c.country, i + "  ")
               + f"{i}  <AddressType>PostalAddress</AddressType>\n{i}</Address>\n")  # fmt: skip
    contact = (f"{i}<Contact>\n{i}  <ContactPerson>\n" + _el("FirstName", c.first, i + "    ")
               + _el("LastName", c.last, i + "    ") + f"{i}  </ContactPerson>\n"
               + _el("Telephone", c.phone, i + "  ") + _el("Email", c.email, i + "  ")
               + f"{i}</Contact>\n")  # fmt: skip
    return ("      <Customer>\n" + _el("RegistrationNumber", c.org, i) + _el("Name", c.name, i)
            + address + contact + _el("CustomerID", c.cid, i)
            + f"{i}<BalanceAccount><AccountID>1500</AccountID>"
            "<OpeningDebitBalance>0.00</OpeningDebitBalance>"
            "<ClosingDebitBalance>0.00</ClosingDebitBalance></BalanceAccount>\n"
            "      </Customer>\n")  # fmt: skip


def invoice(inv: Invoice) -> str:
    i = "        "
    out = f"      <Invoice>\n{i}<InvoiceNo>{escape(inv.no)}</InvoiceNo>\n"
    if inv.customer is not None:
        out += f"{i}<CustomerInfo><CustomerID>{escape(inv.customer)}</CustomerID></CustomerInfo>\n"
    out += f"{i}<InvoiceDate>{inv.date}</InvoiceDate>\n"
    for n, line in enumerate(inv.lines, start=1):
        out += (f"{i}<Line>\n" + _el("LineNumber", line.number or n, i + "  ")
                + _el("AccountID", line.account, i + "  ")
                + f"{i}  <UnitPrice>{line.amount}</UnitPrice>\n"
                f"{i}  <TaxPointDate>{inv.date}</TaxPointDate>\n"
                + _el("Description", line.description, i + "  ")
                + f"{i}  <InvoiceLineAmount><Amount>{line.amount}</Amount></InvoiceLineAmount>\n"
                + _el("DebitCreditIndicator", line.indicator, i + "  ")
                + f"{i}</Line>\n")  # fmt: skip
    return (
        out + f"{i}<DocumentTotals><NetTotal>0</NetTotal><GrossTotal>0</GrossTotal>"
        "</DocumentTotals>\n      </Invoice>\n"
    )


ACCOUNTS = {"3000": "Salgsinntekt overnatting", "3100": "Salgsinntekt mat og drikke"}


def write(
    path: Path, customers: Iterable[Customer], invoices: Iterable[Invoice], *,
    version: str = "1.30", accounts: dict[str, str] = ACCOUNTS,
) -> Path:  # fmt: skip
    """A SAF-T file; invoices are written as they are produced (a generator keeps memory low)."""
    with open(path, "w", encoding="utf-8") as out:
        _write(out, list(customers), invoices, version, accounts)
    return path


def _write(out: TextIO, customers: list[Customer], invoices: Iterable[Invoice], version: str,
           accounts: dict[str, str]) -> None:  # fmt: skip
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<AuditFile xmlns="{NS}">\n')
    out.write(header(version))
    out.write("  <MasterFiles>\n    <GeneralLedgerAccounts>\n")
    for a, d in accounts.items():
        out.write(f"      <Account><AccountID>{a}</AccountID><AccountDescription>{escape(d)}"
                  "</AccountDescription><GroupingCategory>RF-1167</GroupingCategory>"
                  f"<GroupingCode>{a}</GroupingCode><AccountType>GL</AccountType>"
                  "<OpeningDebitBalance>0</OpeningDebitBalance>"
                  "<ClosingDebitBalance>0</ClosingDebitBalance></Account>\n")  # fmt: skip
    out.write("    </GeneralLedgerAccounts>\n    <Customers>\n")
    for c in customers:
        out.write(customer(c))
    out.write("    </Customers>\n  </MasterFiles>\n")
    out.write(
        "  <GeneralLedgerEntries><NumberOfEntries>0</NumberOfEntries>"
        "<TotalDebit>0</TotalDebit><TotalCredit>0</TotalCredit></GeneralLedgerEntries>\n"
    )
    out.write(
        "  <SourceDocuments>\n    <SalesInvoices>\n      <NumberOfEntries>0</NumberOfEntries>"
        "\n      <TotalDebit>0</TotalDebit>\n      <TotalCredit>0</TotalCredit>\n"
    )
    for inv in invoices:
        out.write(invoice(inv))
    out.write("    </SalesInvoices>\n  </SourceDocuments>\n</AuditFile>\n")
