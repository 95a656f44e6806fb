"""The import action: merge another department's register into this one, in two steps.

A dry run writes the plan to the Import sheet; staff set each change's Choice (keep / take);
``apply`` recomputes the plan from both books, reads the choices back and carries it out
(refused when a choice cannot be read); the Import sheet's Source row then says it was applied.
The other book is only read. Every apply is recorded on the Log sheet, also one that finds
nothing to import.
Called by the CLI (``crmbook import``), the demo and the Excel ribbon through a workbook port.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from crmbook.actions import derived
from crmbook.book import layout
from crmbook.book.backups import unfinished
from crmbook.book.lock import stale_temps
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows, Edit, EnsureSheet, ReplaceRows, SetCells
from crmbook.core.i18n import say
from crmbook.core.merge import KEEP, TAKE, ChoiceKey, Plan, Record, parse_choice, plan_import
from crmbook.core.merge_privacy import customer_rows, erase_edits, export_record
from crmbook.core.merge_values import shown
from crmbook.core.register import Register, SheetData
from crmbook.errors import RefusedError, UsageError
from crmbook.letters.output import MANIFEST

IMPORT, LOG = s.IMPORT, s.LOG
#: Column A of the Import sheet, in English and bokmål.
ACTIONS = {
    "source": ("Source", "Kilde"),
    "new": ("New customer", "Ny kunde"),
    "change": ("Change", "Endring"),
    "only_here": ("Only here", "Bare her"),
    "rejected": ("Rejected", "Avvist"),
    "ambiguous": ("Ambiguous", "Uklar"),
}
CHOICES = {KEEP: ("keep", "behold"), TAKE: ("take", "ta")}


@dataclass(frozen=True)
class ImportResult:
    """What an import planned or did; ``stale`` counts choices ignored as out of date."""

    plan: Plan
    applied: bool
    stale: int = 0

    def outcome(self) -> str | None:
        """What an apply did, in the book's language (None for a plan: the next step is the
        front end's to say, a command option or a button)."""
        lang = self.plan.lang
        if not self.applied:
            return None
        if self.plan.empty:
            return say(lang, "No data changed; the run is recorded on the Log sheet.",
                       "Ingen data endret; kjøringen er ført i arket Logg.")  # fmt: skip
        return say(lang, "Imported; recorded on the Log sheet.", "Importert; ført i arket Logg.")

    def counts(self) -> dict[str, int]:
        p = self.plan
        return {
            "matched": p.matched, "new": len(p.new), "changes": len(p.changes),
            "taken": len(p.taken()), "only_here": len(p.only_here), "rejected": len(p.rejected),
            "ambiguous": len(p.ambiguous), "purchases": len(p.purchases),
            "mailings": len(p.mailings),
        }  # fmt: skip

    def summary(self) -> str:
        """One line in the book's language; after an apply that found nothing, it says so."""
        if self.applied and self.plan.empty:
            return say(self.plan.lang, "Nothing to import: {line}", "Ingenting å importere: {line}",
                       line=replace(self, applied=False).summary())  # fmt: skip
        return say(self.plan.lang,
            "{new} new customers, {changes} changed fields ({taken} to take), {purchases} "
            "purchases, {mailings} mailings; {rejected} rows rejected, {ambiguous} ambiguous.",
            "{new} nye kunder, {changes} endrede felt ({taken} tas inn), {purchases} kjøp, "
            "{mailings} utsendelser; {rejected} rader avvist, {ambiguous} uklare.",
            **self.counts())  # fmt: skip


def label(key: str, lang: str) -> str:
    """An Import sheet action word in the book's language."""
    return ACTIONS[key][lang == "nb"]


def import_book(
    book: Path, other: Path, *, apply: bool = False, today: dt.date | None = None
) -> ImportResult:
    """File mode: plan (or with ``apply`` carry out) merging ``other`` into ``book``."""
    from crmbook.book.filebook import FileBook
    from crmbook.book.reader import read_register

    if Path(book).resolve() == Path(other).resolve():
        lang = read_register(book, ()).lang
        raise UsageError(
            say(
                lang,
                "{o}: that is the workbook itself; give another department's workbook.",
                "{o}: det er arbeidsboka selv; oppgi en annen avdelings arbeidsbok.",
                o=other,
            )
        )
    port = FileBook(book)
    with port.writing():  # one writer at a time, from this read to the write
        return run(port, read_other(other), Path(other).name, apply=apply, today=today)


def read_other(other: Path) -> Register:
    """The other department's register, read leniently (an older register may lack columns
    or sheets), but refused (BookReadError, exit 2) when it is no register at all: without a
    Customers (Kunder) sheet with a Company (Firma) column, the reader's message says which."""
    from crmbook.book.reader import read_register

    theirs = read_register(other, strict=False)
    if "Company" not in theirs.sheets[s.CUSTOMERS].columns:
        read_register(other, [s.CUSTOMERS])  # raises, naming the sheet or its missing headers
    return theirs


def run(
    port: WorkbookPort, other: Register, source: str, *, apply: bool = False,
    today: dt.date | None = None,
) -> ImportResult:  # fmt: skip
    """Dry run: write the plan to the Import sheet. ``apply``: carry it out as chosen."""
    here = port.read()
    plan = plan_import(here, other, source)
    if not apply:
        port.apply(plan_edits(plan))
        return ImportResult(plan, applied=False)
    sheet = port.read([IMPORT], strict=False).sheets.get(IMPORT)
    frame = sheet.frame if sheet is not None else pd.DataFrame(columns=["Action"])
    choices, stale = read_choices(frame, plan)
    plan = replace(plan, choices=choices)
    day = today or dt.date.today()
    result = ImportResult(plan, applied=True, stale=stale)
    edits = apply_edits(here, plan, day) if not plan.empty else []
    if plan.empty:
        event = say(plan.lang, "Import", "Import")
        edits = log_edits(plan.lang, day, event, plan.source, result.summary())
    if sheet is not None and _same_source(frame, plan.source):
        edits.append(_applied_note(sheet, result, day))
    port.apply(edits)
    return result


def _applied_note(sheet: SheetData, result: ImportResult, today: dt.date) -> SetCells:
    """The Import sheet's Source row, rewritten: the plan on it is applied, not pending."""
    row = int(_source_rows(sheet.frame).index[0])
    note = say(result.plan.lang, "Applied {d}: {s}", "Utført {d}: {s}",
               d=today.isoformat(), s=result.summary())  # fmt: skip
    return SetCells(IMPORT, {(row, sheet.columns["Note"]): note})


def plan_edits(plan: Plan) -> list[Edit]:
    """The Import sheet: a source row, then every planned action, one per row."""
    headers = layout.headers(IMPORT, plan.lang)
    return [EnsureSheet(IMPORT, headers), ReplaceRows(IMPORT, plan_rows(plan), header=headers)]


def plan_rows(plan: Plan) -> list[list[object]]:
    """Rows of the Import sheet, in the column order of schema.SHEET_FIELDS[IMPORT]."""
    lang = plan.lang
    rows: list[list[object]] = [[label("source", lang), None, None, plan.source, None, None,
                                 None, None, ImportResult(plan, False).summary()]]  # fmt: skip
    for new in plan.new:
        note = say(lang, "Gets Customer ID {id} here.", "Får kundenr {id} her.", id=new.customer_id)
        company = typed.text(new.record.get("Company"))
        rows.append(
            [label("new", lang), new.customer_id, new.other_row, company, *[None] * 4, note]
        )
    for c in plan.changes:
        rows.append([label("change", lang), c.customer_id, c.other_row, c.company,
                     layout.header(s.CUSTOMERS, c.field, lang), shown(c.here), shown(c.other),
                     CHOICES[c.choice][lang == "nb"], None])  # fmt: skip
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


def read_choices(sheet: pd.DataFrame, plan: Plan) -> tuple[dict[ChoiceKey, str], int]:
    """The staff's choices on the Import sheet, for this plan; and how many are out of date.

    Choices count only when the sheet's plan is for the same source file and a change still
    shows the values it was made for; anything else stays at its default. A Choice that is
    neither blank nor keep/take (behold/ta) refuses the whole apply: it is not guessed.
    """
    if sheet.empty or not _same_source(sheet, plan.source):
        return {}, 0
    fields = {layout.norm(layout.header(s.CUSTOMERS, f.name, lang)): f.name
              for f in s.SHEET_FIELDS[s.CUSTOMERS] for lang in layout.LANGS}  # fmt: skip
    changes = {c.key: c for c in plan.changes}
    change_words = {layout.norm(w) for w in ACTIONS["change"]}
    is_change = sheet["Action"].map(lambda v: layout.norm(v or "") in change_words)
    _refuse_unreadable(sheet[is_change], plan.lang)
    choices, stale = {}, 0
    for rec in sheet[is_change].to_dict("records"):
        choice = parse_choice(rec["Choice"])
        if choice is None:
            continue
        key = (typed.integer(rec["Customer ID"]), fields.get(layout.norm(rec["Field"] or "")))
        change = changes.get(key)  # type: ignore[arg-type]
        if change is None or (typed.text(rec["This book"]), typed.text(rec["Other book"])) != (
            shown(change.here), shown(change.other)):  # fmt: skip
            stale += 1
            continue
        choices[change.key] = choice
    return choices, stale


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
    rows = _source_rows(sheet)
    return None if rows.empty else typed.text(rows["Company"].iloc[0])


def _source_rows(sheet: pd.DataFrame) -> pd.DataFrame:
    words = {layout.norm(w) for w in ACTIONS["source"]}
    return sheet[sheet["Action"].map(lambda v: layout.norm(v or "") in words)]


def _same_source(sheet: pd.DataFrame, source: str) -> bool:
    return planned_source(sheet) == source


def apply_edits(here: Register, plan: Plan, today: dt.date) -> list[Edit]:
    """New customers, their purchases and mailings appended; taken changes set; a log row."""
    edits: list[Edit] = []
    appended = ((s.CUSTOMERS, [n.record for n in plan.new]), (s.PURCHASES, plan.purchases),
                (s.MAILINGS, plan.mailings))  # fmt: skip
    for sheet, records in appended:
        if records:
            columns = here.sheets[sheet].columns
            edits.append(AppendRows(sheet, [placed(r, columns) for r in records]))
    columns = here.sheets[s.CUSTOMERS].columns
    cells = {(c.here_row, columns[c.field]): c.other for c in plan.taken() if c.field in columns}
    if cells:
        edits.append(SetCells(s.CUSTOMERS, cells))
    event = say(plan.lang, "Import", "Import")
    return edits + log_edits(
        plan.lang, today, event, plan.source, ImportResult(plan, True).summary()
    )


def log_edits(
    lang: str, today: dt.date, event: str, source: str | None, details: str | None
) -> list[Edit]:
    """One row on the Log sheet (added when the workbook lacks it)."""
    return [EnsureSheet(LOG, layout.headers(LOG, lang)),
            AppendRows(LOG, [[today, event, source, details]])]  # fmt: skip


def placed(record: Record, columns: Mapping[str, str]) -> Sequence[object]:
    """A record's values at its fields' columns in this book (any column order)."""
    index = {name: layout.column_index(letter) for name, letter in columns.items()}
    row: list[object] = [None] * (max(index.values(), default=-1) + 1)
    for name, value in record.items():
        if name in index:
            row[index[name]] = value
    return row


def customer_register(port: WorkbookPort) -> Register:
    """The data sheets and every other sheet that may quote a customer's data."""
    here = port.read()
    more = port.read([s.RECIPIENTS, s.ISSUES, IMPORT], strict=False)
    return replace(here, sheets={**here.sheets, **more.sheets})


def _rows_of(register: Register, customer_id: int) -> dict[str, list[int]]:
    rows = customer_rows(register, customer_id, extra=[IMPORT])
    if s.CUSTOMERS not in rows:
        raise UsageError(
            say(
                register.lang,
                "{path}: no customer has Customer ID {id} on the sheet '{sheet}'.",
                "{path}: ingen kunde har kundenr {id} i arket «{sheet}».",
                path=register.path.name if register.path else "",
                id=customer_id,
                sheet=register.sheet_name(s.CUSTOMERS),
            )
        )
    derived.refuse_shared_id(register, customer_id, rows[s.CUSTOMERS])
    return rows


def export_customer(port: WorkbookPort, customer_id: int) -> dict:
    """Everything the register holds on one customer (right of access), as JSON-ready data:
    every cell of their rows, the columns the user added included."""
    register = customer_register(port)
    rows = _rows_of(register, customer_id)
    record = export_record(register, customer_id, rows, sheet_cells(port, register, rows))
    record["sheets"].update(derived.report_export(port, register, customer_id))
    return record


def sheet_cells(
    port: WorkbookPort, register: Register, sheets: Iterable[str]
) -> dict[str, list[list[object]]]:
    """Each sheet's rows from row 1, every column, as the workbook holds them (the register's
    frames hold only the columns crmbook knows): from Excel for a live book, else from the
    file (python-calamine, as far as the real data reaches)."""
    from crmbook.book import reader
    from crmbook.book.live import LiveBook, sheet_rows

    names = {key: register.sheet_name(key) for key in sheets}
    if isinstance(port, LiveBook):
        return {key: sheet_rows(port.book.sheets[name]) for key, name in names.items()}
    rows = reader.sheet_rows(register.path, names.values())  # bounded by the real data
    return {key: rows[name] for key, name in names.items()}


@dataclass(frozen=True)
class Erased:
    """How many rows were cleared, and the files that still hold the customer's data (letters,
    their PDFs, combined print files, manifests, earlier exports) for the person to delete."""

    lang: str
    rows: int
    files: tuple[str, ...]
    report: bool = False  # the Report sheet was rebuilt without the customer


def erase_customer(
    port: WorkbookPort, customer_id: int, today: dt.date | None = None, home: Path | None = None
) -> Erased:
    """Remove the customer from every sheet, leaving an anonymous row on the Log sheet.

    Files are never deleted here: they are listed (``home``, the workbook's folder, locates
    relative paths; by default the register's own folder).
    """
    register = customer_register(port)
    rows = _rows_of(register, customer_id)
    letters = register.frame(s.MAILINGS).loc[rows.get(s.MAILINGS, []), "Letter file"]
    recorded = list(dict.fromkeys(t for t in map(typed.text, letters) if t))
    if home is None and register.path is not None:
        home = Path(register.path).resolve().parent
    files = recorded if home is None else _files_of(register, customer_id, recorded, home)
    event = say(register.lang, "Customer erased", "Kunde slettet")
    day = today or dt.date.today()
    edits = erase_edits(rows)
    report = derived.report_rebuilt(port, register, rows, day)
    port.apply(edits + report + log_edits(register.lang, day, event, None, None))
    return Erased(register.lang, sum(len(r) for r in rows.values()), tuple(files), bool(report))


COMBINED = ("all letters", "alle brev")  # the print file of a campaign, per language


def _files_of(register: Register, customer_id: int, recorded: list[str], home: Path) -> list[str]:
    """Recorded letter files (as the Mailings sheet names them) that exist, then every file that
    holds the customer: their letters and PDFs in any campaign folder (also a preview, and the
    hidden staging folder of a stopped run), the combined print files and manifests of those
    folders, exports beside the workbook, and copies of it a crashed write left."""
    letters = [p if p.is_absolute() else home / p for p in map(Path, recorded)]
    output = home / (typed.text(register.settings.get("Output folder")) or "letters")
    folders = {p.parent for p in letters}
    folders |= {d for d in output.iterdir() if d.is_dir()} if output.is_dir() else set()
    found: list[Path] = [*letters, *(p.with_suffix(".pdf") for p in letters)]
    for folder in sorted(folders):
        found += _in_campaign(folder, customer_id)
    found += sorted(home.glob(f"*-customer-{customer_id}.json"))
    found += _crash_copies(register.path)
    return list(dict.fromkeys(_shown_path(p, home) for p in found if p.exists()))


def _crash_copies(book: Path | None) -> list[Path]:
    """Whole copies of the workbook a crashed write left: its temporary files (``.NAME-*.tmp``)
    and an unfinished backup."""
    return [] if book is None else [*stale_temps(Path(book)), *unfinished(Path(book))]


def _in_campaign(folder: Path, customer_id: int) -> Iterator[Path]:
    """The customer's files in one campaign folder (and its preview subfolder)."""
    for where in (folder, *(d for d in folder.iterdir() if d.is_dir())) if folder.is_dir() else ():
        mine = sorted(where.glob(f"{customer_id} *"))
        manifest = where / MANIFEST
        lettered, skipped = _named(manifest, customer_id) if manifest.is_file() else (False, False)
        yield from mine
        if mine or lettered:  # the print files hold every letter of the folder
            yield from sorted(p for p in where.iterdir() if p.stem in COMBINED)
        if lettered or skipped:
            yield manifest


def _named(manifest: Path, customer_id: int) -> tuple[bool, bool]:
    """Whether a letters manifest names the customer: among the letters, among the skipped."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, False
    data = data if isinstance(data, dict) else {}
    return tuple(  # type: ignore[return-value]
        any(isinstance(e, dict) and e.get("customer_id") == customer_id for e in data.get(k) or [])
        for k in ("letters", "skipped")
    )


def _shown_path(path: Path, home: Path) -> str:
    try:
        return path.resolve().relative_to(home).as_posix()
    except ValueError:
        return str(path)
