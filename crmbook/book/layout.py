"""Sheet names, headers, list values and setting names in Norwegian bokmål and English.

The workbook's words (sheet names and headers in both languages) live in
``crmbook.core.vocabulary``, so the core can match a header typed in either language; this module
adds the settings and list titles and translates at the edge, both ways.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crmbook.core import report_value
from crmbook.core import schema as s
from crmbook.core.vocabulary import (
    HEADER_SPELLINGS,
    HEADERS_NB,
    SHEET_NAMES_NB,
    norm,
    value,
)
from crmbook.core.vocabulary import (
    find_sheet as find_sheet,  # the reader's and the commands' lookup lives in the core
)

LANGS = ("nb", "en")

SETTINGS_NB: dict[str, str] = {
    "Sender company": "Avsender firma",
    "Sender address": "Avsender adresse",
    "Sender postal code": "Avsender postnr",
    "Sender city": "Avsender poststed",
    "Sender phone": "Avsender telefon",
    "Sender email": "Avsender e-post",
    "Sender org number": "Avsender org.nr",
    "Signature name": "Signatur navn",
    "Signature title": "Signatur tittel",
    "Logo file": "Logofil",
    "Signature file": "Signaturfil",
    "Template folder": "Malmappe",
    "Output folder": "Utdatamappe",
    "Language": "Språk",
    s.DATABASE_SETTING: "Database",
    **report_value.SETTINGS_NB,
}

#: Titles of the Lists sheet's columns (and the named ranges behind the dropdowns).
LIST_TITLES: dict[str, tuple[str, str]] = {
    "status": ("Status", "Status"),
    "industry": ("Industry", "Bransje"),
    "turnover_band": ("Turnover band", "Omsetningsklasse"),
    "employee_band": ("Employee band", "Ansatteklasse"),
    "remark": ("Remark", "Merknad"),
    "yes_no": ("Yes/No", "Ja/Nei"),
    "product": ("Product", "Produkt"),
    "response": ("Response", "Svar"),
}


def range_name(list_name: str) -> str:
    """Workbook-level defined name of a list: 'list_status', identical in both languages."""
    return f"list_{list_name}"


def sheet_name(sheet: str, lang: str) -> str:
    """The visible sheet name of an English sheet key in a language."""
    return SHEET_NAMES_NB[sheet] if lang == "nb" else sheet


def header(sheet: str, field_name: str, lang: str) -> str:
    """The visible header of an English field name in a language."""
    return HEADERS_NB[sheet][field_name] if lang == "nb" else field_name


def headers(sheet: str, lang: str) -> list[str]:
    """All headers of a sheet, in order, in a language."""
    return [header(sheet, f.name, lang) for f in s.SHEET_FIELDS[sheet]]


def setting_label(name: str, lang: str) -> str:
    """Visible label of a setting."""
    return SETTINGS_NB[name] if lang == "nb" else name


def list_values(list_name: str, lang: str) -> list[str]:
    """The default values of a list in a language."""
    return [value(v, lang) for v in s.LISTS_EN[list_name]]


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's fields are: English field name -> visible header, per language."""

    sheet: str
    lang: str

    @property
    def name(self) -> str:
        return sheet_name(self.sheet, self.lang)

    def headers(self) -> list[str]:
        return headers(self.sheet, self.lang)


def match_headers(sheet: str, found: Iterable[object]) -> dict[str, int]:
    """Map English field names to 0-based column positions of the header cells found.

    Either language's header matches, case- and space-insensitively; unknown headers (the user's
    own columns) are ignored; the first occurrence of a header wins.
    """
    wanted = HEADER_SPELLINGS[sheet]
    positions: dict[str, int] = {}
    for i, cell in enumerate(found):
        if cell is None or cell == "":
            continue
        name = wanted.get(norm(cell))
        if name is not None and name not in positions:
            positions[name] = i
    return positions


def detect_lang(sheet_names: Iterable[str]) -> str:
    """The workbook's language from its sheet names: the language more of them are named in
    (so a Norwegian book whose Kunder sheet was renamed still gets Norwegian messages)."""
    names = {norm(n) for n in sheet_names}
    nb = sum(norm(v) in names for k, v in SHEET_NAMES_NB.items() if norm(v) != norm(k))
    en = sum(norm(k) in names for k, v in SHEET_NAMES_NB.items() if norm(v) != norm(k))
    return "nb" if nb > en else "en"


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> 'A', 26 -> 'AA')."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters -> 0-based column index ('A' -> 0)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1
