"""The Import sheet: the plan written as rows for the staff, and their choices read back.

Each row names an action (in the book's language); changes, changed mailings and erased
customers carry a Choice (keep/take) that ``read_choices`` reads back only while the row still
shows the values it was made for.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.merge import (
    ERASED,
    KEEP,
    TAKE,
    Change,
    ChoiceKey,
    NewCustomer,
    Plan,
    parse_choice,
)
from crmbook.core.merge_columns import COLUMN, SHEETS, ExtraColumn
from crmbook.core.merge_values import shown
from crmbook.core.vocabulary import norm
from crmbook.errors import RefusedError

IMPORT = s.IMPORT

#: Column A of the Import sheet, in English and bokmål.
ACTIONS = {
    "source": ("Source", "Kilde"),
    "new": ("New customer", "Ny kunde"),
    "change": ("Change", "Endring"),
    "mailing": ("Mailing change", "Endret utsendelse"),
    "erased": ("Erased", "Slettet"),
    "column": ("Extra column", "Ekstra kolonne"),
    "only_here": ("Only here", "Bare her"),
    "rejected": ("Rejected", "Avvist"),
    "ambiguous": ("Ambiguous", "Uklar"),
}
CHOICES = {KEEP: ("keep", "behold"), TAKE: ("take", "ta")}


def label(key: str, lang: str) -> str:
    """An Import sheet action word in the book's language."""
    return ACTIONS[key][lang == "nb"]


def plan_rows(plan: Plan, summary: str) -> list[list[object]]:
    """Rows of the Import sheet, in the column order of schema.SHEET_FIELDS[IMPORT]."""
    lang = plan.lang
    rows: list[list[object]] = [[label("source", lang), None, None, plan.source, None, None,
                                 None, None, summary]]  # fmt: skip
    for new in plan.new:
        note = say(lang, "Gets Customer ID {id} here.", "Får kundenr {id} her.", id=new.customer_id)
        company = typed.text(new.record.get("Company"))
        rows.append(
            [label("new", lang), new.customer_id, new.other_row, company, *[None] * 4, note]
        )
    for c in plan.changes:
        action = "change" if c.sheet == s.CUSTOMERS else "mailing"
        rows.append([label(action, lang), c.customer_id, c.other_row, c.company,
                     layout.header(c.sheet, c.field, lang), shown(c.here), shown(c.other),
                     CHOICES[c.choice][lang == "nb"], c.note])  # fmt: skip
    rows += [_erased_row(n, lang) for n in plan.erased]
    rows += [_column_row(c, plan) for c in plan.columns]
    for cid, company in plan.only_here:
        rows.append([label("only_here", lang), cid, None, company, None, None, None, None, None])
    for key, problems in (("rejected", plan.rejected), ("ambiguous", plan.ambiguous)):
        for p in problems:
            where = layout.sheet_name(p.sheet, lang)
            for field_name, message in p.reasons:
                shown_field = layout.header(p.sheet, field_name, lang) if field_name else None
                rows.append([label(key, lang), None, p.row, p.company, shown_field, None, None,
                             None, f"{where}: {message}"])  # fmt: skip
    return rows


def _erased_row(new: NewCustomer, lang: str) -> list[object]:
    """An erased customer of the other book: its row there and the erasure's date, never its
    name (the erasure was to forget it), with a Choice that adds it back only when take."""
    day = shown(new.erased.date) if new.erased else None
    note = say(lang,
        "This customer was erased on {d}; it is not added again unless you type take (it "
        "would get Customer ID {id}). See row {row} of the other book.",
        "Denne kunden ble slettet {d}; den legges ikke inn igjen med mindre du skriver ta "
        "(den ville fått kundenr {id}). Se rad {row} i den andre boka.",
        d=day or "-", id=new.customer_id, row=new.other_row)  # fmt: skip
    return [label("erased", lang), None, new.other_row, None, None, day, None,
            CHOICES[KEEP][lang == "nb"], note]  # fmt: skip


def _column_row(col: ExtraColumn, plan: Plan) -> list[object]:
    """A column of the other book that crmbook does not know: where take would put it."""
    lang = plan.lang
    here, other = _shown(col, lang)
    _, differ = col.fills(plan.rows.get(col.sheet, {}))
    if col.new:
        note = say(lang,
            "Only the other book has this column: not imported unless you type take; then it "
            "is added as column {letter} of {sheet}, with the values of the rows imported or "
            "matched.",
            "Bare den andre boka har denne kolonnen: den importeres ikke med mindre du skriver "
            "ta; da legges den til som kolonne {letter} i {sheet}, med verdiene for radene som "
            "importeres eller finnes i begge.", letter=col.letter, sheet=here)  # fmt: skip
    else:
        note = say(lang,
            "This book has this column too (column {letter}): take fills its blank cells; "
            "{n} values that differ from this book's stay as they are.",
            "Denne boka har også kolonnen (kolonne {letter}): ta fyller de tomme cellene; {n} "
            "verdier som er ulike denne bokas, blir stående.",
            letter=col.letter, n=differ)  # fmt: skip
    return [label("column", lang), None, None, None, col.header, here, other,
            CHOICES[KEEP][lang == "nb"], note]  # fmt: skip


#: The Import sheet's actions that carry a Choice, and the sheet their Field names a column of.
CHOSEN = {"change": s.CUSTOMERS, "mailing": s.MAILINGS, "erased": ERASED, "column": COLUMN}


def read_choices(sheet: pd.DataFrame, plan: Plan) -> tuple[dict[ChoiceKey, str], int]:
    """The staff's choices on the Import sheet, for this plan; and how many are out of date.

    Choices count only when the sheet's plan is for the same source file and a row still
    shows the values it was made for; anything else stays at its default. A Choice that is
    neither blank nor keep/take (behold/ta) refuses the whole apply: it is not guessed.
    """
    if sheet.empty or not same_source(sheet, plan.source):
        return {}, 0
    kinds = {layout.norm(w): CHOSEN[k] for k in CHOSEN for w in ACTIONS[k]}
    kind = sheet["Action"].map(lambda v: kinds.get(layout.norm(v or "")))
    _refuse_unreadable(sheet[kind.notna()], plan.lang)
    items = {c.key: _shown(c, plan.lang) for c in (*plan.changes, *plan.erased, *plan.columns)}
    choices, stale = {}, 0
    for rec, where in zip(sheet.to_dict("records"), kind, strict=True):
        choice = parse_choice(rec["Choice"]) if where else None
        if choice is None:
            continue
        key = _row_key(where, rec)
        if items.get(key) != (typed.text(rec["This book"]), typed.text(rec["Other book"])):
            stale += 1
            continue
        choices[key] = choice
    return choices, stale


def _shown(item: Change | NewCustomer | ExtraColumn, lang: str) -> tuple[str | None, str | None]:
    """What the Import sheet shows of an item in This book and Other book."""
    if isinstance(item, ExtraColumn):
        count = say(lang, "{n} values", "{n} verdier", n=len(item.values))
        return (layout.sheet_name(item.sheet, lang), count)
    if isinstance(item, NewCustomer):
        return (shown(item.erased.date) if item.erased else None, None)
    return (shown(item.here), shown(item.other))


def _row_key(sheet: str, rec: Mapping[str, object]) -> ChoiceKey:
    """The ChoiceKey an Import sheet row is for."""
    other_row = typed.integer(rec["Other row"])
    if sheet == ERASED:
        return (ERASED, None, "", other_row)
    if sheet == COLUMN:
        names = {
            layout.norm(layout.sheet_name(k, lang)): k for k in SHEETS for lang in layout.LANGS
        }
        where = names.get(layout.norm(rec["This book"] or ""), "")
        return (COLUMN, None, f"{where}|{norm(rec['Field'])}", None)
    fields = {layout.norm(layout.header(sheet, f.name, lang)): f.name
              for f in s.SHEET_FIELDS[sheet] for lang in layout.LANGS}  # fmt: skip
    field_name = fields.get(layout.norm(rec["Field"] or ""), "")
    return (sheet, typed.integer(rec["Customer ID"]), field_name, other_row)


def _refuse_unreadable(changes: pd.DataFrame, lang: str) -> None:
    """Refuse when a change's Choice is filled in but is not a choice (e.g. 'tja')."""
    bad = [(int(row), typed.text(v)) for row, v in changes["Choice"].items()
           if not typed.is_blank(v) and parse_choice(v) is None]  # fmt: skip
    if not bad:
        return
    where = ", ".join(f"{row} ({value!r})" for row, value in bad)
    raise RefusedError(say(lang,
        "the Choice on the Import sheet cannot be read in row {rows}. Type keep or take "
        "(or leave it blank for keep), then run --apply again; nothing was imported.",
        "Valg i arket Import kan ikke leses i rad {rows}. Skriv behold eller ta (eller la det "
        "stå tomt for behold), og kjør --apply på nytt; ingenting ble importert.",
        rows=where))  # fmt: skip


def planned_source(sheet: pd.DataFrame) -> str | None:
    """The file whose plan is on the Import sheet (its Source row), or None without a plan."""
    rows = source_rows(sheet)
    return None if rows.empty else typed.text(rows["Company"].iloc[0])


def source_rows(sheet: pd.DataFrame) -> pd.DataFrame:
    words = {layout.norm(w) for w in ACTIONS["source"]}
    return sheet[sheet["Action"].map(lambda v: layout.norm(v or "") in words)]


def same_source(sheet: pd.DataFrame, source: str) -> bool:
    return planned_source(sheet) == source
