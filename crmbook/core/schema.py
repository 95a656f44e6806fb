"""The register's data model in English: sheets, fields, their kinds and the allowed list values.

Language lives elsewhere (``crmbook.book.layout``); everything in the core speaks the English
names of SPEC §1 so that a Norwegian and an English workbook give the same records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a field's cells are read and checked."""

    ID = "id"  # positive integer key
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    LIST = "list"  # one value of a named list
    ORGNR = "orgnr"
    POSTAL = "postal"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class Field:
    """One column of a data sheet."""

    name: str  # English header, as in SPEC §1
    kind: Kind = Kind.TEXT
    list_name: str | None = None  # for Kind.LIST: key into LISTS
    required: bool = False

    @property
    def key(self) -> str:
        """English snake_case key, as used in letter contexts (SPEC §3)."""
        return snake(self.name)


def snake(name: str) -> str:
    """'Turnover (NOK)' -> 'turnover_nok', 'Profitability (%)' -> 'profitability_pct'."""
    text = name.replace("%", "pct").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


CUSTOMERS = "Customers"
PURCHASES = "Purchases"
MAILINGS = "Mailings"
SELECTIONS = "Selections"
RECIPIENTS = "Recipients"
ISSUES = "Issues"
REPORT = "Report"
SETTINGS = "Settings"
LISTS = "Lists"
START = "Start"
IMPORT = "Import"  # the import plan, rewritten by each dry run
LOG = "Log"  # imports and erasures, one row each
PRODUCT_MAP = "Product mapping"  # accounting accounts -> products, for the SAF-T import
SYNC = "Sync"  # what `crmbook db pull` fetched: the base of the three-way merge of a sync

F = Field
SHEET_FIELDS: dict[str, tuple[Field, ...]] = {
    CUSTOMERS: (
        F("Customer ID", Kind.ID),
        F("Company", required=True),
        F("Org number", Kind.ORGNR),
        F("Status", Kind.LIST, "status"),
        F("Group"),
        F("Contact person"),
        F("Title"),
        F("Address"),
        F("Postal code", Kind.POSTAL),
        F("City"),
        F("Country"),
        F("Email", Kind.EMAIL),
        F("Phone", Kind.PHONE),
        F("Industry", Kind.LIST, "industry"),
        F("Turnover (NOK)", Kind.NUMBER),
        F("Turnover band", Kind.LIST, "turnover_band"),
        F("Profitability (%)", Kind.NUMBER),
        F("Employees", Kind.INTEGER),
        F("Employee band", Kind.LIST, "employee_band"),
        F("Remark", Kind.LIST, "remark"),
        F("No marketing", Kind.LIST, "yes_no"),
        F("Department"),
        F("Account manager"),
        F("Notes"),
        # Late columns (issue 17): an older workbook may lack them; see LATE below.
        F("Industry code"),  # NACE / SN2007, dd.ddd (Enhetsregisteret's naeringskode1)
        F("Industry text"),
        F("Org form"),  # Enhetsregisteret's organisasjonsform code: AS, ENK, ASA, NUF ...
        F("Org form text"),
        F("Turnover year", Kind.INTEGER),  # the accounting year Turnover (NOK) is from
    ),
    PURCHASES: (
        F("Customer ID", Kind.ID, required=True),
        F("Date", Kind.DATE, required=True),
        F("Product", Kind.LIST, "product", required=True),
        F("Amount (NOK)", Kind.NUMBER, required=True),
        F("Note"),
    ),
    MAILINGS: (
        F("Mailing ID", Kind.ID),
        F("Campaign", required=True),
        F("Customer ID", Kind.ID, required=True),
        F("Company"),
        F("Template"),
        F("Date sent", Kind.DATE),
        F("Letter file"),
        F("Response", Kind.LIST, "response"),
        F("Response date", Kind.DATE),
        F("Note"),
    ),
    SELECTIONS: (
        F("Selection", required=True),
        F("Group", Kind.INTEGER),
        F("Field", required=True),
        F("Operator", required=True),
        F("Value"),
    ),
    RECIPIENTS: (
        F("Customer ID", Kind.ID),
        F("Company"),
        F("Contact person"),
        F("Title"),
        F("Address"),
        F("Postal code", Kind.POSTAL),
        F("City"),
        F("Country"),
        F("Email", Kind.EMAIL),
        F("Letter"),
    ),
    ISSUES: (
        F("Sheet"),
        F("Row", Kind.INTEGER),
        F("Column"),
        F("Field"),
        F("Value"),
        F("Severity"),
        F("Message"),
    ),
    SETTINGS: (F("Setting"), F("Value")),
    IMPORT: (
        F("Action"),
        F("Customer ID", Kind.ID),
        F("Other row"),
        F("Company"),
        F("Field"),
        F("This book"),
        F("Other book"),
        F("Choice"),
        F("Note"),
    ),
    LOG: (F("Date", Kind.DATE), F("Event"), F("Source"), F("Details")),
    PRODUCT_MAP: (F("Account"), F("Account name"), F("Product", Kind.LIST, "product")),
}
SHEET_FIELDS[SYNC] = (
    SHEET_FIELDS[CUSTOMERS][0],
    F("Version", Kind.INTEGER),
    *SHEET_FIELDS[CUSTOMERS][1:],
)
del F

#: Customers columns added after workbooks were in use (issue 17): a workbook without them reads,
#: validates and selects as if they were blank; a command that writes a value to one adds the
#: column after the sheet's last column (crmbook/actions/late_columns.py).
LATE: dict[str, frozenset[str]] = {
    CUSTOMERS: frozenset(
        ("Industry code", "Industry text", "Org form", "Org form text", "Turnover year")
    ),
}
LATE[SYNC] = LATE[CUSTOMERS]


def required_header(sheet: str, name: str) -> bool:
    """Whether a workbook must have this column (a late column may be missing)."""
    return name not in LATE.get(sheet, frozenset())


#: Sheets whose rows are register data (read by every command).
DATA_SHEETS = (CUSTOMERS, PURCHASES, MAILINGS, SELECTIONS)

#: The Settings sheet's rows, in order (SPEC §1).
SETTING_NAMES = (
    "Sender company",
    "Sender address",
    "Sender postal code",
    "Sender city",
    "Sender phone",
    "Sender email",
    "Sender org number",
    "Signature name",
    "Signature title",
    "Logo file",
    "Signature file",
    "Template folder",
    "Output folder",
    "Language",
    "Expected customer years",  # the report's lifetime value assumptions (core/report_value.py)
    "Default margin (%)",
)

#: The Settings row that names the shared database of a pulled workbook (docs/database.md);
#: read by ``crmbook db``, not part of a new workbook's Settings.
DATABASE_SETTING = "Database"

TURNOVER_BANDS = ("<10 M", "10–49 M", "50–99 M", "100–499 M", "≥500 M")
EMPLOYEE_BANDS = ("1–9", "10–49", "50–99", "100–499", "≥500")

#: Canonical English values of every list (SPEC §1). Industry and Product are editable.
LISTS_EN: dict[str, tuple[str, ...]] = {
    "status": ("Customer", "Prospect"),
    "industry": (
        "Construction",
        "Consulting",
        "Education",
        "Finance",
        "Health",
        "Hospitality",
        "IT",
        "Manufacturing",
        "Public sector",
        "Retail",
        "Transport",
    ),
    "turnover_band": TURNOVER_BANDS,
    "employee_band": EMPLOYEE_BANDS,
    "remark": ("Bad payer", "Disputed invoice", "Credit stop"),
    "yes_no": ("Yes", "No"),
    "product": ("Conference", "Accommodation", "Meeting room", "Banquet", "Restaurant"),
    "response": ("No response", "Negative", "Positive"),
}

#: Lower bounds of the bands, in NOK millions and in people.
TURNOVER_BAND_BOUNDS = (0, 10_000_000, 50_000_000, 100_000_000, 500_000_000)
EMPLOYEE_BAND_BOUNDS = (1, 10, 50, 100, 500)


def band_for(value: float, bands: tuple[str, ...], bounds: tuple[int, ...]) -> str | None:
    """The band a number falls in, or None below the first bound (e.g. 0 employees)."""
    found = None
    for band, low in zip(bands, bounds, strict=True):
        if value >= low:
            found = band
    return found


def turnover_band(turnover_nok: float) -> str:
    """Band of a turnover in NOK; every turnover ≥ 0 has one."""
    return band_for(turnover_nok, TURNOVER_BANDS, TURNOVER_BAND_BOUNDS) or TURNOVER_BANDS[0]


def employee_band(employees: int) -> str | None:
    """Band of a head count; 0 employees has none."""
    return band_for(employees, EMPLOYEE_BANDS, EMPLOYEE_BAND_BOUNDS)


def field(sheet: str, name: str) -> Field:
    """The field of a sheet by English name; KeyError when unknown."""
    for f in SHEET_FIELDS[sheet]:
        if f.name == name:
            return f
    raise KeyError(f"{sheet} has no field {name!r}")
