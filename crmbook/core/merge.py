"""The import plan: what merging another department's register into this one would change.

Pure: it reads two registers and says what to add, what differs and what cannot be taken,
and writes nothing. The plan is recomputed when it is carried out, so a plan on the Import
sheet is only the staff's choices (keep/take) and never trusted as data. Nothing of this book
changes unless a Choice says take; new customers get fresh Customer IDs here and bring their
purchases and mailings, which are de-duplicated against what this book already holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks import Severity
from crmbook.core.i18n import say
from crmbook.core.merge_match import How, keys, match
from crmbook.core.merge_values import comparable, translate
from crmbook.core.register import Register
from crmbook.core.validate import validate
from crmbook.core.vocabulary import canonical_value, norm

KEEP, TAKE = "keep", "take"
CHOICE_WORDS = {"keep": KEEP, "behold": KEEP, "take": TAKE, "ta": TAKE}
Record = dict[str, object]
Bad = Iterable[tuple[str, int]]
IdMap = Mapping[int, int | None]
#: (this book's Customer ID, English field) -> the choice for that change.
ChoiceKey = tuple[int | None, str]


@dataclass(frozen=True)
class NewCustomer:
    """A customer of the other book that this book lacks, with the ID it will get here."""

    other_row: int
    customer_id: int
    record: Record  # English field -> value as this book writes it


@dataclass(frozen=True)
class Change:
    """One field of a matched customer whose value differs between the books."""

    customer_id: int | None  # this book's
    here_row: int
    other_row: int
    company: str | None
    field: str  # English field name
    here: object  # this book's raw value
    other: object  # the other book's value, as this book would write it
    choice: str = KEEP

    @property
    def key(self) -> ChoiceKey:
        return (self.customer_id, self.field)


@dataclass(frozen=True)
class Problem:
    """A row of the other book that is not imported, and why (field, message) pairs."""

    sheet: str  # English sheet key of the other book
    row: int
    company: str | None
    reasons: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Plan:
    """Everything an import would do, for the staff to review on the Import sheet."""

    lang: str  # this book's language
    source: str  # the other book's file name
    matched: int
    new: tuple[NewCustomer, ...] = ()
    changes: tuple[Change, ...] = ()
    only_here: tuple[tuple[int | None, str | None], ...] = ()  # (Customer ID, Company)
    rejected: tuple[Problem, ...] = ()
    ambiguous: tuple[Problem, ...] = ()
    purchases: tuple[Record, ...] = ()
    mailings: tuple[Record, ...] = ()
    choices: Mapping[ChoiceKey, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing to add, and no change chosen: applying it would write nothing."""
        return not (self.new or self.purchases or self.mailings or self.taken())

    def taken(self) -> list[Change]:
        """The changes whose Choice (the staff's, else the default) says take."""
        return [c for c in self.changes if self.choices.get(c.key, c.choice) == TAKE]


def parse_choice(text: object) -> str | None:
    """'keep'/'take' (also 'behold'/'ta'), in any case; None for anything else."""
    return CHOICE_WORDS.get(norm(text)) if not typed.is_blank(text) else None


def plan_import(here: Register, other: Register, source: str) -> Plan:
    """The plan for merging ``other`` into ``here`` (choices at their defaults)."""
    errors = _errors(other, here.lang)
    rejected = tuple(_problem(other, sheet, row, r) for (sheet, row), r in errors.items())
    bad = {row for sheet, row in errors if sheet == s.CUSTOMERS}
    theirs = other.frame(s.CUSTOMERS).drop(index=list(bad))
    mine = here.frame(s.CUSTOMERS)
    found = match(keys(mine), keys(theirs))
    ids = _max_id(mine["Customer ID"])
    new, changes, ambiguous, id_map = [], [], [], {}
    for row, rec in zip(theirs.index, theirs.to_dict("records"), strict=True):
        hit = found.get(int(row))
        their_id = typed.integer(rec.get("Customer ID"))
        if hit is None:
            ids += 1
            new.append(NewCustomer(int(row), ids, _record(rec, here.lang, ids)))
            id_map[their_id] = ids
        elif hit.row is None:
            ambiguous.append(_ambiguous(here.lang, int(row), rec, hit.rows, hit.how))
        else:
            changes += _changes(mine.loc[hit.row], rec, hit.row, int(row), here.lang)
            id_map[their_id] = typed.integer(mine.loc[hit.row, "Customer ID"])
    id_map.pop(None, None)
    matched = {f.row for f in found.values() if f.row is not None}
    return Plan(
        lang=here.lang,
        source=source,
        matched=len(matched),
        new=tuple(new),
        changes=tuple(changes),
        only_here=tuple(_only_here(mine, matched)),
        rejected=rejected,
        ambiguous=tuple(ambiguous),
        purchases=tuple(_purchases(here, other, errors, id_map)),
        mailings=tuple(_mailings(here, other, errors, id_map)),
    )


def _errors(other: Register, lang: str) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """(sheet, row) -> (field, message) of every error in the other book, in ``lang``."""
    out: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for issue in validate(replace(other, lang=lang)).issues:
        if issue.severity is Severity.ERROR and issue.key in (s.CUSTOMERS, s.PURCHASES, s.MAILINGS):
            out.setdefault((issue.key, issue.row), []).append((issue.field, issue.message))
    return out


def _problem(other: Register, sheet: str, row: int, reasons: list[tuple[str, str]]) -> Problem:
    frame = other.frame(sheet)
    company = typed.text(frame.loc[row, "Company"]) if "Company" in frame.columns else None
    return Problem(sheet, row, company, tuple(reasons))


def _ambiguous(lang: str, row: int, rec: Record, rows: tuple[int, ...], how: How) -> Problem:
    listed = ", ".join(str(r) for r in rows)
    if how is How.TWICE:
        reason = say(lang,
            "Another row of the other book is the same customer as row {rows} here. Merge the "
            "two rows in the other book, or import by hand.",
            "En annen rad i den andre boka er samme kunde som rad {rows} her. Slå sammen de to "
            "radene i den andre boka, eller legg inn for hånd.", rows=listed)  # fmt: skip
    elif how is How.CONFLICT:
        reason = say(lang,
            "Same company and postal code as row {rows} here, but another org number. Correct "
            "the org number in one of the books and import again.",
            "Samme firma og postnr som rad {rows} her, men et annet org.nr. Rett org.nr i en av "
            "bøkene og importer på nytt.", rows=listed)  # fmt: skip
    else:
        reason = say(lang,
            "Fits several customers here (rows {rows}): crmbook does not guess. Merge them or "
            "correct their org numbers, then import again.",
            "Passer med flere kunder her (rad {rows}): crmbook gjetter ikke. Slå dem sammen "
            "eller rett org.nr, og importer på nytt.", rows=listed)  # fmt: skip
    return Problem(s.CUSTOMERS, row, typed.text(rec.get("Company")), (("", reason),))


def _max_id(values: Iterable[object]) -> int:
    ids = [i for i in map(typed.integer, values) if i is not None and i > 0]
    return max(ids, default=0)


def _record(rec: Record, lang: str, customer_id: int) -> Record:
    """A customer of the other book as this book writes it, with its new Customer ID."""
    out = {f.name: translate(f, rec.get(f.name), lang) for f in s.SHEET_FIELDS[s.CUSTOMERS]}
    out["Customer ID"] = customer_id
    return out


def _changes(
    mine: pd.Series, rec: Record, here_row: int, other_row: int, lang: str
) -> list[Change]:
    """The fields the other book has a different value for (its blanks change nothing)."""
    out = []
    for f in s.SHEET_FIELDS[s.CUSTOMERS][1:]:
        theirs = comparable(f, rec.get(f.name))
        if theirs is None or theirs == comparable(f, mine[f.name]):
            continue
        out.append(Change(
            typed.integer(mine["Customer ID"]), here_row, other_row, typed.text(mine["Company"]),
            f.name, mine[f.name], translate(f, rec.get(f.name), lang),
            choice=_default_choice(f.name, rec.get(f.name)),
        ))  # fmt: skip
    return out


def _default_choice(field_name: str, theirs: object) -> str:
    """Keep, except a reservation against marketing known to any department, which wins."""
    reserved = field_name == "No marketing" and canonical_value(theirs) == "Yes"
    return TAKE if reserved else KEEP


def _only_here(mine: pd.DataFrame, matched: set[int]) -> list[tuple[int | None, str | None]]:
    rows = [r for r in mine.index if int(r) not in matched]
    return [(typed.integer(mine.loc[r, "Customer ID"]), typed.text(mine.loc[r, "Company"]))
            for r in rows]  # fmt: skip


def _carried(here: Register, other: Register, sheet: str, bad: Bad, id_map: IdMap) -> list[Record]:
    """Rows of a sheet of the other book whose customer comes along, in this book's words."""
    skip = {row for key, row in bad if key == sheet}
    fields = s.SHEET_FIELDS[sheet]
    out = []
    for row, rec in other.frame(sheet).to_dict("index").items():
        customer = id_map.get(typed.integer(rec.get("Customer ID")))
        if row in skip or customer is None:
            continue
        out.append({f.name: translate(f, rec.get(f.name), here.lang) for f in fields}
                   | {"Customer ID": customer})  # fmt: skip
    return out


def _purchases(here: Register, other: Register, bad: Bad, id_map: IdMap) -> list[Record]:
    """Purchases of imported customers not already here: (customer, date, product, amount)."""
    fields = [s.field(s.PURCHASES, n) for n in ("Customer ID", "Date", "Product", "Amount (NOK)")]

    def key(rec: Record) -> tuple[object, ...]:
        return tuple(comparable(f, rec.get(f.name)) for f in fields)

    seen = {key(r) for r in here.frame(s.PURCHASES).to_dict("records")}
    return _unique(_carried(here, other, s.PURCHASES, bad, id_map), key, seen)


def _mailings(here: Register, other: Register, bad: Bad, id_map: IdMap) -> list[Record]:
    """Mailings of imported customers not already here: one per (customer, campaign)."""
    fields = [s.field(s.MAILINGS, n) for n in ("Customer ID", "Campaign")]

    def key(rec: Record) -> tuple[object, ...]:
        return tuple(comparable(f, rec.get(f.name)) for f in fields)

    mine = here.frame(s.MAILINGS)
    seen = {key(r) for r in mine.to_dict("records")}
    out = _unique(_carried(here, other, s.MAILINGS, bad, id_map), key, seen)
    first = _max_id(mine["Mailing ID"]) + 1
    return [r | {"Mailing ID": n} for n, r in enumerate(out, start=first)]


def _unique(records: list[Record], key: Callable[[Record], object], seen: set) -> list[Record]:
    out = []
    for rec in records:
        k = key(rec)
        if k not in seen:
            seen.add(k)
            out.append(rec)
    return out
