"""Read a Norwegian SAF-T Financial 1.30 file, streaming, into ``crmbook.core.saft.SaftFile``.

The file can be gigabytes: lxml's iterparse reads it element by element and every customer,
account, invoice or ledger transaction is dropped once read, so memory holds only what the
import keeps. Anything that is not a SAF-T 1.30 file, or a file whose invoices cannot be
read, is refused with the file, line and element named; nothing is imported from it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.saft import SaftCustomer, SaftFile, SaftLine
from crmbook.errors import CrmbookError

NS = "urn:StandardAuditFile-Taxation-Financial:NO"
VERSION = "1.30"
_N = {"n": NS}
_TAGS = [
    f"{{{NS}}}{t}"
    for t in (
        "Header",
        "Account",
        "Customer",
        "Invoice",
        "Transaction",
        "Supplier",
    )
]
Progress = Callable[[int], None]


class SaftFileError(CrmbookError, ValueError):
    """The file is no SAF-T Financial 1.30 file, or a part the import needs is unreadable."""


class _Counted:
    """A binary file that reports how many bytes were read (for the progress bar)."""

    def __init__(self, raw: BinaryIO, progress: Progress | None) -> None:
        self._raw, self._progress, self.done = raw, progress, 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.done += len(data)
        if self._progress is not None:
            self._progress(self.done)
        return data


def read_saft(path: Path, lang: str, progress: Progress | None = None) -> SaftFile:
    """The customers, accounts and sales invoice lines of a SAF-T file."""
    reader = _Reader(Path(path), lang)
    try:
        with open(path, "rb") as raw:
            reader.root(raw)
        with open(path, "rb") as raw:
            reader.parse(_Counted(raw, progress))
    except etree.XMLSyntaxError as exc:
        raise reader.error(exc.lineno or 0, "",
                           "the file is not well-formed XML ({m}).",
                           "fila er ikke gyldig XML ({m}).", m=exc.msg) from None  # fmt: skip
    return reader.result()


def _iterparse(source: object, events: tuple[str, ...], tag: object = None) -> etree.iterparse:
    """lxml's iterparse without DTDs, entities or network (a hostile file loads nothing)."""
    return etree.iterparse(source, events=events, tag=tag, resolve_entities=False,
                           no_network=True, load_dtd=False)  # fmt: skip


class _Reader:
    def __init__(self, path: Path, lang: str) -> None:
        self.path, self.lang = path, lang
        self.version: str | None = None
        self.customers: list[SaftCustomer] = []
        self.lines: list[SaftLine] = []
        self.accounts: dict[str, str] = {}
        self.invoices: dict[str, int] = {}

    def error(self, line: int, element: str, en: str, nb: str, **values: object) -> SaftFileError:
        where = say(self.lang, "{f}, line {n}", "{f}, linje {n}", f=self.path.name, n=line)
        if element:
            where += f", <{element}>"
        return SaftFileError(f"{where}: " + say(self.lang, en, nb, **values))

    def root(self, raw: BinaryIO) -> None:
        """Refuse a file whose root element is not SAF-T's AuditFile (reads its first lines)."""
        for _, elem in _iterparse(raw, ("start",)):
            if elem.tag == _q("AuditFile"):
                return
            raise self.error(elem.sourceline or 1, etree.QName(elem).localname,
                "this is not a Norwegian SAF-T Financial file (the root element must be "
                "AuditFile in the namespace {ns}).",
                "dette er ikke en norsk SAF-T Regnskap-fil (rotelementet må være AuditFile i "
                "navnerommet {ns}).", ns=NS)  # fmt: skip

    def parse(self, source: _Counted) -> None:
        """Only the elements the import reads raise events; each is dropped once read."""
        for _, elem in _iterparse(source, ("end",), _TAGS):
            name = elem.tag[len(NS) + 2 :]
            if name == "Header":
                self._header(elem)
            elif name not in ("Transaction", "Supplier"):  # read past, dropped below
                self._data(elem, name)
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]

    def _data(self, elem: etree._Element, name: str) -> None:
        if self.version is None:
            raise self.error(elem.sourceline or 0, name,
                "the Header with AuditFileVersion must come first.",
                "Header med AuditFileVersion må komme først.")  # fmt: skip
        if name == "Account":
            account = _text(elem, "n:AccountID")
            if account:
                self.accounts[account] = _text(elem, "n:AccountDescription") or ""
        elif name == "Customer":
            self.customers.append(self._customer(elem))
        elif elem.getparent().tag == _q("SalesInvoices"):
            self.lines += self._invoice(elem)

    def _header(self, elem: etree._Element) -> None:
        version = _text(elem, "n:AuditFileVersion")
        if version != VERSION:
            found = elem.find("n:AuditFileVersion", _N)
            where = found if found is not None else elem
            raise self.error(where.sourceline or 0, "AuditFileVersion",
                "the file is SAF-T version {v}; crmbook reads version {want}. Export the file "
                "again as SAF-T Financial {want}.",
                "fila er SAF-T versjon {v}; crmbook leser versjon {want}. Eksporter fila på nytt "
                "som SAF-T Regnskap {want}.", v=version or "?", want=VERSION)  # fmt: skip
        self.version = version

    def _customer(self, elem: etree._Element) -> SaftCustomer:
        cid = _text(elem, "n:CustomerID")
        name = _text(elem, "n:Name")
        if not cid or not name:
            missing = "CustomerID" if not cid else "Name"
            raise self.error(
                elem.sourceline or 0,
                "Customer",
                "the customer has no {m}.",
                "kunden mangler {m}.",
                m=missing,
            )
        return SaftCustomer(cid, elem.sourceline or 0, _record(elem, name))

    def _invoice(self, elem: etree._Element) -> list[SaftLine]:
        line = elem.sourceline or 0
        number = _text(elem, "n:InvoiceNo")
        if not number:
            raise self.error(line, "Invoice", "the invoice has no InvoiceNo.",
                             "fakturaen mangler InvoiceNo.")  # fmt: skip
        if number in self.invoices:
            raise self.error(line, "InvoiceNo",
                "invoice number {no} also appears at line {first}; each invoice must be in "
                "the file once.",
                "fakturanummer {no} står også på linje {first}; hver faktura skal stå én gang "
                "i fila.", no=number, first=self.invoices[number])  # fmt: skip
        self.invoices[number] = line
        date = _date(_text(elem, "n:InvoiceDate"))
        if date is None:
            raise self.error(line, "InvoiceDate",
                "invoice {no} has no valid InvoiceDate (YYYY-MM-DD).",
                "faktura {no} mangler gyldig InvoiceDate (ÅÅÅÅ-MM-DD).", no=number)  # fmt: skip
        customer = _text(elem, "n:CustomerInfo/n:CustomerID") or ""
        lines = elem.findall("n:Line", _N)
        return [self._line(x, i, number, customer, date) for i, x in enumerate(lines, start=1)]

    def _line(
        self, elem: etree._Element, position: int, invoice: str, customer: str, date: dt.date
    ) -> SaftLine:
        line = elem.sourceline or 0
        account = _text(elem, "n:AccountID")
        amount = _amount(_text(elem, "n:InvoiceLineAmount/n:Amount"))
        sign = {"C": 1, "D": -1}.get(_text(elem, "n:DebitCreditIndicator") or "")
        for ok, element in ((account, "AccountID"), (amount is not None, "InvoiceLineAmount"),
                            (sign, "DebitCreditIndicator")):  # fmt: skip
            if not ok:
                raise self.error(line, element,
                    "line {pos} of invoice {no} has no valid {el}.",
                    "linje {pos} i faktura {no} mangler gyldig {el}.",
                    pos=position, no=invoice, el=element)  # fmt: skip
        number = _text(elem, "n:LineNumber") or str(position)
        return SaftLine(invoice, number, line, customer, date, account or "",
                        (amount or 0.0) * (sign or 1))  # fmt: skip

    def result(self) -> SaftFile:
        if self.version is None:
            raise self.error(1, "Header", "the file has no Header with AuditFileVersion.",
                             "fila mangler Header med AuditFileVersion.")  # fmt: skip
        if not self.customers and not self.lines:
            raise self.error(1, "MasterFiles",
                "the file holds neither customers (MasterFiles/Customers) nor sales invoices "
                "(SourceDocuments/SalesInvoices); export it with customers and invoices.",
                "fila har verken kunder (MasterFiles/Customers) eller salgsfakturaer "
                "(SourceDocuments/SalesInvoices); eksporter den med kunder og fakturaer.",
            )  # fmt: skip
        return SaftFile(self.path.name, tuple(self.customers), tuple(self.lines),
                        self.accounts)  # fmt: skip


def _text(elem: etree._Element, path: str) -> str | None:
    value = elem.findtext(_clark(path))
    return value.strip() or None if value is not None else None


@functools.cache
def _clark(path: str) -> str:
    """'n:A/n:B' in Clark notation, which lxml finds without parsing prefixes each time."""
    return path.replace("n:", f"{{{NS}}}")


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _amount(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _record(elem: etree._Element, name: str) -> dict[str, object]:
    """The register's Customers fields from a SAF-T Customer (blank where the file is)."""
    address = _address(elem)
    person = elem.find("n:Contact/n:ContactPerson", _N)
    parts = ("FirstName", "LastName")
    names = [_text(person, f"n:{p}") for p in parts] if person is not None else []
    country = _text(address, "n:Country") if address is not None else None
    return {
        "Company": name,
        "Org number": _text(elem, "n:RegistrationNumber"),
        "Contact person": " ".join(n for n in names if n) or None,
        "Title": _text(person, "n:OtherTitles") if person is not None else None,
        "Address": _street(address),
        "Postal code": _text(address, "n:PostalCode") if address is not None else None,
        "City": _text(address, "n:City") if address is not None else None,
        "Country": None if country in (None, "NO") else country,
        "Email": _text(elem, "n:Contact/n:Email"),
        "Phone": _text(elem, "n:Contact/n:Telephone"),
    }


def _address(elem: etree._Element) -> etree._Element | None:
    """The postal address, else the first address."""
    addresses = elem.findall("n:Address", _N)
    postal = [a for a in addresses if _text(a, "n:AddressType") == "PostalAddress"]
    return (postal or addresses or [None])[0]


def _street(address: etree._Element | None) -> str | None:
    if address is None:
        return None
    parts = [_text(address, f"n:{p}") for p in ("StreetName", "Number")]
    return typed.text(" ".join(p for p in parts if p)) or None
