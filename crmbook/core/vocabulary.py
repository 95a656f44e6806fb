"""List values in both languages: the words a user types into list columns and selections.

Kept in the core because validation and selections compare values typed in either language.
"""

from __future__ import annotations

import re

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
