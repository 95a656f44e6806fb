"""What a letter template sees for each recipient (SPEC §3), and who cannot get a letter.

Pure: values come from a Register, ``today`` is passed in (never the clock), and nothing here
knows about Word. Every Customers column appears under its English snake_case key and under a
Norwegian alias, so a template written in either language works with either workbook.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import textchars, typed
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.vocabulary import canonical_value

#: Norwegian alias per English key: the snake_case of the nb header, æ→ae ø→o å→a
#: (``crmbook.book.layout.HEADERS_NB``; a test keeps the two in step).
CUSTOMER_ALIASES: dict[str, str] = {
    "customer_id": "kundenr",
    "company": "firma",
    "org_number": "org_nr",
    "status": "status",
    "group": "konsern",
    "contact_person": "kontaktperson",
    "title": "tittel",
    "address": "adresse",
    "postal_code": "postnr",
    "city": "poststed",
    "country": "land",
    "email": "e_post",
    "phone": "telefon",
    "industry": "bransje",
    "turnover_nok": "omsetning_nok",
    "turnover_band": "omsetningsklasse",
    "profitability_pct": "lonnsomhet_pct",
    "employees": "ansatte",
    "employee_band": "ansatteklasse",
    "remark": "merknad",
    "no_marketing": "reservert_mot_markedsforing",
    "department": "avdeling",
    "account_manager": "kundeansvarlig",
    "notes": "notater",
    "industry_code": "naeringskode",
    "industry_text": "naeringstekst",
    "org_form": "org_form",
    "org_form_text": "org_form_tekst",
    "turnover_year": "omsetningsar",
}
#: Short Norwegian forms people type without thinking of the header's punctuation.
SHORT_ALIASES: dict[str, str] = {
    "orgnr": "org_number",
    "epost": "email",
    "omsetning": "turnover_nok",
    "lonnsomhet": "profitability_pct",
}
PURCHASE_KEYS: dict[str, str] = {"date": "dato", "product": "produkt", "amount_nok": "belop_nok"}
#: Settings row -> key under ``sender`` (English) and its Norwegian alias.
SENDER_KEYS: dict[str, tuple[str, str]] = {
    "Sender company": ("company", "firma"),
    "Sender address": ("address", "adresse"),
    "Sender postal code": ("postal_code", "postnr"),
    "Sender city": ("city", "poststed"),
    "Sender phone": ("phone", "telefon"),
    "Sender email": ("email", "e_post"),
    "Sender org number": ("org_number", "org_nr"),
    "Signature name": ("signature_name", "signatur_navn"),
    "Signature title": ("signature_title", "signatur_tittel"),
}
#: Top-level names besides the customer fields, with their Norwegian aliases.
BATCH_NAMES: dict[str, str] = {"sender": "avsender", "campaign": "kampanje", "today": "dato"}
#: Names computed from the customer's fields, with their Norwegian aliases.
COMPUTED_NAMES: dict[str, str] = {"country_line": "landlinje"}
LETTER_REQUIRED = ("Address", "Postal code", "City")
_REQUIRED_NB = {"Address": "Adresse", "Postal code": "Postnr", "City": "Poststed"}
_REQUIRED_KEYS = {name: s.snake(name) for name in LETTER_REQUIRED}


def known_fields() -> dict[str, frozenset[str]]:
    """Every name a template may use: top-level names, and the keys under sender and purchases."""
    top = set(CUSTOMER_ALIASES) | set(CUSTOMER_ALIASES.values()) | set(SHORT_ALIASES)
    top |= set(BATCH_NAMES) | set(BATCH_NAMES.values()) | {"purchases", "kjop"}
    top |= set(COMPUTED_NAMES) | set(COMPUTED_NAMES.values())
    sender = {k for pair in SENDER_KEYS.values() for k in pair}
    purchase = set(PURCHASE_KEYS) | set(PURCHASE_KEYS.values())
    return {"": frozenset(top), "sender": frozenset(sender), "purchases": frozenset(purchase)}


def sender(settings: Mapping[str, object]) -> dict[str, str]:
    """The ``sender`` mapping from the Settings sheet; blank settings are empty text."""
    out: dict[str, str] = {}
    for setting, keys in SENDER_KEYS.items():
        value = textchars.cleaned(typed.text(settings.get(setting)) or "")
        out.update(dict.fromkeys(keys, value))
    return out


def batch_context(settings: Mapping[str, object], campaign: str, today: dt.date) -> dict:
    """The names every letter of a batch shares: sender, campaign, today (and their aliases)."""
    values = {"sender": sender(settings), "campaign": textchars.cleaned(campaign), "today": today}
    return {**values, **{BATCH_NAMES[k]: v for k, v in values.items()}}


@dataclass(frozen=True)
class Skipped:
    """A recipient who gets no letter, and why (in the workbook's language)."""

    customer_id: int | None
    company: str
    reason: str


@dataclass(frozen=True)
class Recipient:
    """A customer who gets a letter: who (for file names, messages and the log) and what the
    template sees (read-only, so rendering one letter cannot change the next)."""

    customer_id: int
    company: str | None  # None when the Company cell is blank
    context: Mapping[str, object]


def _value(value: object) -> object:
    """A typed cell as a template shows it: whole numbers without '.0', blanks as None."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _postal(code: object, country: object) -> object:
    """Postal codes keep their leading zeros, even when typed as a number (150 -> '0150')."""
    if isinstance(code, str) and code.isdigit() and len(code) < 4 and country in (None, "Norway"):
        return code.zfill(4)
    return code


def customer_rows(register_frame: pd.DataFrame, rows: Iterable[int]) -> Iterator[dict]:
    """The typed Customers fields of the given Excel rows, by English key plus aliases."""
    frame = without_forbidden(typed.typed_frame(register_frame.loc[list(rows)], s.CUSTOMERS))
    names = [f.name for f in s.SHEET_FIELDS[s.CUSTOMERS] if f.name in frame.columns]
    keys = [s.snake(n) for n in names]
    aliases = [CUSTOMER_ALIASES[k] for k in keys]
    for values in zip(*(_shown(frame[n]) for n in names), strict=True):
        record = dict(zip(keys, values, strict=True))
        record.update(zip(aliases, values, strict=True))
        country = typed.text(record.get("country"))
        record["postal_code"] = record["postnr"] = _postal(
            record.get("postal_code"), _country_en(country)
        )
        record["country_line"] = record["landlinje"] = country_line(country)
        for short, key in SHORT_ALIASES.items():
            record[short] = record.get(key)
        yield record


def _shown(column: pd.Series) -> list[object]:
    """A typed column as a template shows it (``_value`` of each cell); a text column holds
    text or None already."""
    if column.dtype == object:
        return column.tolist()
    return [_value(v) for v in column.tolist()]


def without_forbidden(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every character XML forbids cleaned out of its text (a paste from Word):
    a letter holding one cannot be opened. Word's line break stays one in Notes, else a space.
    One search over a column's joined text first, so clean columns cost one pass in C."""
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object:
            continue
        texts = [v for v in column if isinstance(v, str)]
        if texts and textchars.has_forbidden("\n".join(texts)):
            lines = name in textchars.MULTILINE
            frame[name] = column.map(
                lambda v, lines=lines: (
                    textchars.cleaned(v, newlines=lines).strip() if isinstance(v, str) else v
                )
            )
    return frame


def country_line(country: str | None) -> str:
    """The address's last line: the country in capitals (Posten's rule for mail abroad), or
    nothing for an address in Norway, the sender's own country."""
    if _country_en(country) == "Norway":
        return ""
    return " ".join(country.split()).upper()


def _country_en(country: str | None) -> str | None:
    return "Norway" if country is None or country.casefold() in ("norge", "norway") else country


def purchases_by_customer(
    frame: pd.DataFrame, customers: Iterable[int] | None = None
) -> dict[int, list[dict]]:
    """Each customer's purchases, oldest first, as ``{date, product, amount_nok}`` (+ aliases).

    ``customers`` limits the work to the letter's recipients: converting every purchase's date
    of a large register costs more than the letters themselves.
    """
    if customers is not None:
        ids = typed.typed_column(frame["Customer ID"], s.Kind.ID)
        frame = frame[ids.isin(set(customers))]
    t = without_forbidden(typed.typed_frame(frame, s.PURCHASES))
    out: dict[int, list[dict]] = {}
    if t.empty:
        return out
    t = t.sort_values("Date", kind="stable")
    columns = ["Customer ID", "Date", "Product", "Amount (NOK)"]
    for cid, when, product, amount in t[columns].itertuples(index=False, name=None):
        if cid != cid:  # purchases without a customer are validation's business
            continue
        item = {"date": _value(when), "product": product, "amount_nok": _value(amount)}
        item.update({PURCHASE_KEYS[k]: v for k, v in list(item.items())})
        out.setdefault(int(cid), []).append(item)
    return out


def cannot_get_letter(record: Mapping[str, object], lang: str) -> str | None:
    """Why a customer cannot get a letter (reserved, or no postal address), or None."""
    if canonical_value(record.get("no_marketing")) == "Yes":
        return say(lang, "reserved against marketing", "reservert mot markedsføring")
    missing = [n for n in LETTER_REQUIRED if record.get(_REQUIRED_KEYS[n]) in (None, "")]
    if missing:
        names = ", ".join(m if lang != "nb" else _REQUIRED_NB[m] for m in missing)
        return say(lang, "no postal address (missing {f})", "mangler postadresse ({f})", f=names)
    return None


def recipients(
    register: Register, customer_ids: Iterable[int]
) -> tuple[list[Recipient], list[Skipped]]:
    """The customers who can get a letter, with their contexts (customer fields and purchases),
    in the order given, and the ones who cannot, with the reason."""
    frame = register.frame(s.CUSTOMERS)
    ids = typed.typed_column(frame["Customer ID"], s.Kind.ID)
    row_of = {int(v): row for row, v in ids.items() if v == v}
    wanted = [int(c) for c in customer_ids]
    unknown = [
        Skipped(c, "", say(register.lang, "not in Customers", "finnes ikke i Kunder"))
        for c in wanted
        if c not in row_of
    ]
    purchases = purchases_by_customer(register.frame(s.PURCHASES), wanted)
    letters: list[Recipient] = []
    skipped: list[Skipped] = list(unknown)
    for record in customer_rows(frame, [row_of[c] for c in wanted if c in row_of]):
        reason = cannot_get_letter(record, register.lang)
        if reason:
            skipped.append(Skipped(record["customer_id"], record.get("company") or "", reason))
            continue
        items = purchases.get(record["customer_id"], [])
        record["purchases"] = record["kjop"] = items
        context = types.MappingProxyType(record)
        letters.append(Recipient(record["customer_id"], record.get("company"), context))
    return letters, skipped
