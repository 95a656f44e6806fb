"""The workbook's words in both languages: sheet names, headers and list values.

The one place they live (``crmbook.book.layout`` builds on it). Kept in the core because
validation and selections compare names and values typed in either language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crmbook.core import schema as s

SHEET_NAMES_NB: dict[str, str] = {
    s.START: "Start",
    s.CUSTOMERS: "Kunder",
    s.PURCHASES: "Kjøp",
    s.MAILINGS: "Utsendelser",
    s.SELECTIONS: "Utvalg",
    s.RECIPIENTS: "Mottakere",
    s.ISSUES: "Kontroll",
    s.REPORT: "Rapport",
    s.SETTINGS: "Innstillinger",
    s.LISTS: "Lister",
    s.IMPORT: "Import",
    s.LOG: "Logg",
    s.PRODUCT_MAP: "Produktkobling",
    s.SYNC: "Sync",  # the same word in both languages, as Import
}

#: Norwegian headers per sheet, keyed by English header.
HEADERS_NB: dict[str, dict[str, str]] = {
    s.CUSTOMERS: {
        "Customer ID": "Kundenr",
        "Company": "Firma",
        "Org number": "Org.nr",
        "Status": "Status",
        "Group": "Konsern",
        "Contact person": "Kontaktperson",
        "Title": "Tittel",
        "Address": "Adresse",
        "Postal code": "Postnr",
        "City": "Poststed",
        "Country": "Land",
        "Email": "E-post",
        "Phone": "Telefon",
        "Industry": "Bransje",
        "Turnover (NOK)": "Omsetning (NOK)",
        "Turnover band": "Omsetningsklasse",
        "Profitability (%)": "Lønnsomhet (%)",
        "Employees": "Ansatte",
        "Employee band": "Ansatteklasse",
        "Remark": "Merknad",
        "No marketing": "Reservert mot markedsføring",
        "Department": "Avdeling",
        "Account manager": "Kundeansvarlig",
        "Notes": "Notater",
        "Industry code": "Næringskode",
        "Industry text": "Næringstekst",
        "Org form": "Org.form",
        "Org form text": "Org.form tekst",
        "Turnover year": "Omsetningsår",
    },
    s.PURCHASES: {
        "Customer ID": "Kundenr",
        "Date": "Dato",
        "Product": "Produkt",
        "Amount (NOK)": "Beløp (NOK)",
        "Note": "Notat",
    },
    s.MAILINGS: {
        "Mailing ID": "Utsendelsesnr",
        "Campaign": "Kampanje",
        "Customer ID": "Kundenr",
        "Company": "Firma",
        "Template": "Mal",
        "Date sent": "Sendt dato",
        "Letter file": "Brevfil",
        "Response": "Svar",
        "Response date": "Svardato",
        "Note": "Notat",
    },
    s.SELECTIONS: {
        "Selection": "Utvalg",
        "Group": "Gruppe",
        "Field": "Felt",
        "Operator": "Operator",
        "Value": "Verdi",
    },
    s.RECIPIENTS: {
        "Customer ID": "Kundenr",
        "Company": "Firma",
        "Contact person": "Kontaktperson",
        "Title": "Tittel",
        "Address": "Adresse",
        "Postal code": "Postnr",
        "City": "Poststed",
        "Country": "Land",
        "Email": "E-post",
        "Letter": "Brev",
    },
    s.ISSUES: {
        "Sheet": "Ark",
        "Row": "Rad",
        "Column": "Kolonne",
        "Field": "Felt",
        "Value": "Verdi",
        "Severity": "Alvorlighet",
        "Message": "Melding",
    },
    s.SETTINGS: {"Setting": "Innstilling", "Value": "Verdi"},
    s.IMPORT: {
        "Action": "Handling",
        "Customer ID": "Kundenr",
        "Other row": "Rad der",
        "Company": "Firma",
        "Field": "Felt",
        "This book": "Denne boka",
        "Other book": "Den andre boka",
        "Choice": "Valg",
        "Note": "Merknad",
    },
    s.LOG: {"Date": "Dato", "Event": "Hendelse", "Source": "Kilde", "Details": "Detaljer"},
    s.PRODUCT_MAP: {"Account": "Konto", "Account name": "Kontonavn", "Product": "Produkt"},
}
HEADERS_NB[s.SYNC] = {"Version": "Versjon", **HEADERS_NB[s.CUSTOMERS]}


#: Norwegian value of each canonical English list value.
LIST_VALUES_NB: dict[str, str] = {
    "Customer": "Kunde",
    "Prospect": "Prospekt",
    "Construction": "Bygg og anlegg",
    "Consulting": "Rådgivning",
    "Education": "Utdanning",
    "Finance": "Finans",
    "Health": "Helse",
    "Hospitality": "Reiseliv",
    "IT": "IT",
    "Manufacturing": "Industri",
    "Public sector": "Offentlig sektor",
    "Retail": "Handel",
    "Transport": "Transport",
    "Bad payer": "Dårlig betaler",
    "Disputed invoice": "Omstridt faktura",
    "Credit stop": "Kredittstopp",
    "Yes": "Ja",
    "No": "Nei",
    "Conference": "Konferanse",
    "Accommodation": "Overnatting",
    "Meeting room": "Møterom",
    "Banquet": "Bankett",
    "Restaurant": "Restaurant",
    "No response": "Ikke svart",
    "Negative": "Negativ",
    "Positive": "Positiv",
    "Error": "Feil",
    "Warning": "Advarsel",
}


def norm(text: object) -> str:
    """Matching key: case- and space-insensitive, and '-' equal to '–' (SPEC §1)."""
    return re.sub(r"\s+", "", str(text)).casefold().replace("-", "–")


def find_sheet(sheet: str, sheet_names: Iterable[str]) -> str | None:
    """The actual name of an English sheet key in a workbook of either language, or None."""
    keys = {norm(sheet), norm(SHEET_NAMES_NB[sheet])}
    for name in sheet_names:
        if norm(name) in keys:
            return name
    return None


def value(english: str, lang: str) -> str:
    """A canonical list value (or severity) in a language."""
    return LIST_VALUES_NB.get(english, english) if lang == "nb" else english


_EN_BY_NORM: dict[str, str] = {}
for _en, _nb in LIST_VALUES_NB.items():
    _EN_BY_NORM[norm(_en)] = _en
    _EN_BY_NORM[norm(_nb)] = _en


def canonical_value(text: object) -> str | None:
    """English canonical value of a list value typed in either language, or None when unknown."""
    return _EN_BY_NORM.get(norm(text))


def _spellings(sheet: str) -> dict[str, str]:
    """Matching key of every header of a sheet, in either language -> its English field."""
    found: dict[str, str] = {}
    for f in s.SHEET_FIELDS[sheet]:
        found.setdefault(norm(f.name), f.name)
        found.setdefault(norm(HEADERS_NB.get(sheet, {}).get(f.name, f.name)), f.name)
    return found


#: Per sheet, every header spelling (English or bokmål, by ``norm``) -> English field, built once:
#: the reader matches header rows with it, and a criterion may name a Customers field in either
#: language in a workbook of either language.
HEADER_SPELLINGS: dict[str, dict[str, str]] = {sheet: _spellings(sheet) for sheet in s.SHEET_FIELDS}
CUSTOMER_FIELDS = HEADER_SPELLINGS[s.CUSTOMERS]


#: A band as people write it (after ``norm``): '≥500m', '>500m', '>=500mill.', '10–49', '<10mnok'.
_BAND = re.compile(r"^(≥|>=|=>|>|<)?(\d+)(–\d+)?(m|mill\.?|mnok|millioner)?$")


def loose(text: object) -> str:
    """Matching key of a list value: ``norm``, '>=' = '≥', and a band as the source writes it.

    The source writes bands as '>500 M', '<10 M', '10-49' and '10–49'; '>' before the top band
    means '≥', and the unit (M, mill., MNOK) may be left out, so '>500 M', '≥500' and
    '>= 500 mill.' are one band in either language.
    """
    key = norm(text)
    found = _BAND.match(key)
    if found is None:
        return key.replace(">=", "≥")
    sign, low, high, _ = found.groups()
    sign = "<" if sign == "<" else "≥" if sign else ""
    return f"{sign}{low}{high or ''}"
