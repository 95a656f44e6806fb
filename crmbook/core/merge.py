"""The import plan: what merging another department's register into this one would change.

Pure: it reads two registers and says what to add, what differs and what cannot be taken,
and writes nothing. The plan is recomputed when it is carried out, so a plan on the Import
sheet is only the staff's choices (keep/take) and never trusted as data. Nothing of this book
changes unless a Choice says take (or a value only the other book has for a mailing both hold,
pre-set to take); new customers get fresh Customer IDs here and bring their purchases and
mailings, which are matched against what this book already holds (merge_rows). A customer
erased from either book is not added again unless taken (tombstones); the other book's own
columns are listed, added only when taken (merge_columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from crmbook.core import merge_rows, tombstones, typed
from crmbook.core import schema as s
from crmbook.core.checks import Severity
from crmbook.core.i18n import say
from crmbook.core.merge_columns import ExtraColumn
from crmbook.core.merge_match import How, keys, match
from crmbook.core.merge_values import comparable, translate
from crmbook.core.register import Register
from crmbook.core.tombstones import Tombstone
from crmbook.core.validate import validate
from crmbook.core.vocabulary import canonical_value, norm

KEEP, TAKE = "keep", "take"
CHOICE_WORDS = {"keep": KEEP, "behold": KEEP, "take": TAKE, "ta": TAKE}
Record = dict[str, object]
Bad = Iterable[tuple[str, int]]
IdMap = Mapping[int, int | None]
#: (sheet, or ERASED; this book's Customer ID; English field; the other book's row) of a
#: change or an erased customer -> the staff's choice for it.
ChoiceKey = tuple[str, int | None, str, int | None]
ERASED = "erased"


@dataclass(frozen=True)
class NewCustomer:
    """A customer of the other book that this book lacks, with the ID it will get here."""

    other_row: int
    customer_id: int
    record: Record  # English field -> value as this book writes it
    erased: Tombstone | None = None  # erased in either book: added only when taken

    @property
    def key(self) -> ChoiceKey:
        return (ERASED, None, "", self.other_row)


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
    sheet: str = s.CUSTOMERS  # or s.MAILINGS: here_row/other_row are then Mailings rows
    note: str | None = None  # which mailing, for a change of one

    @property
    def key(self) -> ChoiceKey:
        return (self.sheet, self.customer_id, self.field, self.other_row)


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

    erased: tuple[NewCustomer, ...] = ()  # new customers an erasure stops, unless taken
    #: The other book's tombstones this book lacks, and the keys they need: carried across.
    tombstones: tuple[Tombstone, ...] = ()
    keys: tuple[str, ...] = ()
    columns: tuple[ExtraColumn, ...] = ()  # the other book's own columns: added when taken
    #: Sheet -> the other book's row -> this book's, for the rows both books hold.
    rows: Mapping[str, Mapping[int, int]] = field(default_factory=dict)

    def chosen(self, key: ChoiceKey, default: str) -> str:
        return self.choices.get(key, default)

    def added(self) -> list[NewCustomer]:
        """The new customers to add: every one, except an erased one whose Choice is not take."""
        return [*self.new, *(n for n in self.erased if self.chosen(n.key, KEEP) == TAKE)]

    def to_add(self, records: Iterable[Record]) -> list[Record]:
        """Purchases or mailings, without those of an erased customer not taken."""
        stopped = {n.customer_id for n in self.erased if self.chosen(n.key, KEEP) != TAKE}
        return [r for r in records if r["Customer ID"] not in stopped]

    @property
    def empty(self) -> bool:
        """Nothing to add, and no change chosen: applying it would write nothing."""
        return not (self.added() or self.to_add(self.purchases) or self.to_add(self.mailings)
                    or self.taken() or self.tombstones or self.taken_columns())  # fmt: skip

    def taken_columns(self) -> list[ExtraColumn]:
        """The other book's own columns whose Choice says take."""
        return [c for c in self.columns if self.chosen(c.key, KEEP) == TAKE]

    def taken(self) -> list[Change]:
        """The changes whose Choice (the staff's, else the default) says take."""
        return [c for c in self.changes if self.chosen(c.key, c.choice) == TAKE]


def parse_choice(text: object) -> str | None:
    """'keep'/'take' (also 'behold'/'ta'), in any case; None for anything else."""
    return CHOICE_WORDS.get(norm(text)) if not typed.is_blank(text) else None


def plan_import(
    here: Register, other: Register, source: str, columns: Iterable[ExtraColumn] = ()
) -> Plan:
    """The plan for merging ``other`` into ``here`` (choices at their defaults). A customer
    erased from either book (a tombstone on its Log sheet) is not added unless taken;
    ``columns`` are the other book's own columns (merge_columns.extra_columns)."""
    errors = _errors(other, here.lang)
    rejected = tuple(_problem(other, sheet, row, r) for (sheet, row), r in errors.items())
    bad = {row for sheet, row in errors if sheet == s.CUSTOMERS}
    theirs = other.frame(s.CUSTOMERS).drop(index=list(bad))
    mine = here.frame(s.CUSTOMERS)
    found = match(keys(mine), keys(theirs))
    new, stopped, changes, ambiguous, id_map = _customers(here, other, theirs, found)
    added = _numbered(new + stopped, _max_id(mine["Customer ID"]), here.lang, id_map)
    id_map.pop(None, None)
    mailings, diffs, mailed = merge_rows.mailings(here, other, errors, id_map,
                                          [n.customer_id for n in added[len(new):]])  # fmt: skip
    matched = {f.row for f in found.values() if f.row is not None}
    bought, same_purchases = merge_rows.purchases(here, other, errors, id_map)
    rows = {s.CUSTOMERS: {o: f.row for o, f in found.items() if f.row is not None},
            s.PURCHASES: same_purchases, s.MAILINGS: mailed}  # fmt: skip
    return Plan(
        lang=here.lang,
        source=source,
        matched=len(matched),
        new=tuple(added[: len(new)]),
        erased=tuple(added[len(new) :]),
        changes=tuple(changes + _mailing_changes(here, diffs)),
        only_here=tuple(_only_here(mine, matched)),
        rejected=rejected,
        ambiguous=tuple(ambiguous),
        purchases=tuple(bought),
        mailings=tuple(mailings),
        columns=tuple(columns),
        rows=rows,
        **_carried_tombstones(here, other),
    )


def _carried_tombstones(here: Register, other: Register) -> dict[str, tuple]:
    """The other book's tombstones this book lacks, with the keys that made them: an erasure
    there keeps the customer out of this book's later merges too."""
    known = {t.ident for t in tombstones.stones(here)}
    stones = [t for t in tombstones.stones(other) if t.ident not in known]
    have = {tombstones.key_id(k.secret) for k in tombstones.log_keys(here)}
    needed = {t.key for t in stones} - have
    secrets = {tombstones.key_id(k.secret): k.secret for k in tombstones.log_keys(other)}
    return {"tombstones": tuple(stones), "keys": tuple(secrets[k] for k in sorted(needed)
                                                       if k in secrets)}  # fmt: skip


def _customers(here: Register, other: Register, theirs: pd.DataFrame, found: dict) -> tuple:
    """The other book's valid customers sorted out: new, stopped by a tombstone (both as
    (row, record, tombstone)), the changes of the matched ones, the ambiguous ones, and
    their Customer ID -> the matched customer's ID here."""
    mine = here.frame(s.CUSTOMERS)
    gone = tombstones.erased(here, other)
    new, stopped, changes, ambiguous, id_map = [], [], [], [], {}
    for row, rec in zip(theirs.index, theirs.to_dict("records"), strict=True):
        hit = found.get(int(row))
        if hit is None:
            stone = gone.is_erased(rec.get("Org number"), rec.get("Company"),
                                   rec.get("Postal code"))  # fmt: skip
            (new if stone is None else stopped).append((int(row), rec, stone))
        elif hit.row is None:
            ambiguous.append(_ambiguous(here.lang, int(row), rec, hit.rows, hit.how))
        else:
            changes += _changes(mine.loc[hit.row], rec, hit.row, int(row), here.lang)
            id_map[typed.integer(rec.get("Customer ID"))] = typed.integer(
                mine.loc[hit.row, "Customer ID"]
            )
    return new, stopped, changes, ambiguous, id_map


def _numbered(
    rows: list[tuple[int, Record, Tombstone | None]], last: int, lang: str, id_map: dict
) -> list[NewCustomer]:
    """New customers with the next free Customer IDs here (the erased ones last)."""
    out = []
    for n, (row, rec, stone) in enumerate(rows, start=last + 1):
        out.append(NewCustomer(row, n, _record(rec, lang, n), stone))
        id_map[typed.integer(rec.get("Customer ID"))] = n
    return out


def _mailing_changes(here: Register, diffs: list) -> list[Change]:
    """Changes of mailings both books hold, naming the campaign and the date it was sent."""
    frame = here.frame(s.MAILINGS)
    out = []
    for here_row, other_row, name, mine, theirs, empty in diffs:
        rec = frame.loc[here_row]
        f = s.field(s.MAILINGS, name)
        sent = typed.date(rec["Date sent"])
        note = say(here.lang, "Mailing {c}, sent {d}.", "Utsendelse {c}, sendt {d}.",
                   c=typed.text(rec["Campaign"]), d=sent.isoformat() if sent else "-")  # fmt: skip
        out.append(Change(
            typed.integer(rec["Customer ID"]), here_row, other_row, typed.text(rec["Company"]),
            name, mine, translate(f, theirs, here.lang), TAKE if empty else KEEP, s.MAILINGS, note,
        ))  # fmt: skip
    return out


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
