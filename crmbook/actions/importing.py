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

from crmbook.actions import derived, late_columns
from crmbook.actions.import_columns import column_edits, other_row, read_extra_columns, with_extras
from crmbook.actions.import_sheet import plan_rows, read_choices, same_source, source_rows
from crmbook.actions.import_sheet import planned_source as planned_source  # for the add-in
from crmbook.book import layout
from crmbook.book.backups import unfinished
from crmbook.book.lock import stale_temps
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import tombstones, typed
from crmbook.core.edits import AppendRows, Edit, EnsureSheet, ReplaceRows, SetCells
from crmbook.core.i18n import plural, say
from crmbook.core.merge import KEEP, TAKE, Plan, Record, plan_import
from crmbook.core.merge_privacy import customer_rows, erase_edits, export_record
from crmbook.core.register import Register, SheetData
from crmbook.errors import UsageError
from crmbook.letters.output import MANIFEST

IMPORT, LOG = s.IMPORT, s.LOG


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
            "matched": p.matched, "new": len(p.added()), "changes": len(p.changes),
            "taken": len(p.taken()), "only_here": len(p.only_here), "rejected": len(p.rejected),
            "ambiguous": len(p.ambiguous), "purchases": len(p.to_add(p.purchases)),
            "mailings": len(p.to_add(p.mailings)),
            "erased": sum(p.chosen(n.key, KEEP) != TAKE for n in p.erased),
        }  # fmt: skip

    def summary(self) -> str:
        """One line in the book's language; after an apply that found nothing, it says so."""
        if self.applied and self.plan.empty:
            return say(self.plan.lang, "Nothing to import: {line}", "Ingenting å importere: {line}",
                       line=replace(self, applied=False).summary())  # fmt: skip
        counts, lang = self.counts(), self.plan.lang

        def n(key: str, en: tuple[str, str], nb: tuple[str, str]) -> str:
            return plural(lang, counts[key], en, nb)

        line = say(lang,
            "{new}, {changes} ({taken} to take), {purchases}, {mailings}; {rejected} rejected, "
            "{ambiguous} ambiguous.",
            "{new}, {changes} ({taken} tas inn), {purchases}, {mailings}; {rejected} avvist, "
            "{ambiguous} uklare.",
            new=n("new", ("new customer", "new customers"), ("ny kunde", "nye kunder")),
            changes=n("changes", ("changed field", "changed fields"),
                      ("endret felt", "endrede felt")),
            taken=counts["taken"],
            purchases=n("purchases", ("purchase", "purchases"), ("kjøp", "kjøp")),
            mailings=n("mailings", ("mailing", "mailings"), ("utsendelse", "utsendelser")),
            rejected=n("rejected", ("row", "rows"), ("rad", "rader")),
            ambiguous=counts["ambiguous"])  # fmt: skip
        if not counts["erased"]:
            return line
        return line + " " + say(lang, "{erased} not added again.", "{erased} ikke lagt inn igjen.",
            erased=n("erased", ("erased customer", "erased customers"),
                     ("slettet kunde", "slettede kunder")))  # fmt: skip


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
    log = read_register(other, [LOG], strict=False).sheets  # its tombstones count here too
    return replace(theirs, sheets={**theirs.sheets, **log})


def run(
    port: WorkbookPort, other: Register, source: str, *, apply: bool = False,
    today: dt.date | None = None,
) -> ImportResult:  # fmt: skip
    """Dry run: write the plan to the Import sheet. ``apply``: carry it out as chosen."""
    here = port.read()
    here = replace(here, sheets={**here.sheets, **port.read([LOG], strict=False).sheets})
    plan = plan_import(here, other, source, read_extra_columns(port, here, other))
    if not apply:
        port.apply(plan_edits(plan))
        return ImportResult(plan, applied=False)
    sheet = port.read([IMPORT], strict=False).sheets.get(IMPORT)
    frame = sheet.frame if sheet is not None else pd.DataFrame(columns=["Action"])
    choices, stale = read_choices(frame, plan)
    plan = replace(plan, choices=choices)
    day = today or dt.date.today()
    result = ImportResult(plan, applied=True, stale=stale)
    here, headers = late_columns.for_plan(port, here, plan)
    edits = headers + apply_edits(here, plan, day) if not plan.empty else []
    if plan.empty:
        event = say(plan.lang, "Import", "Import")
        edits = log_edits(plan.lang, day, event, plan.source, result.summary())
    if sheet is not None and same_source(frame, plan.source):
        edits.append(_applied_note(sheet, result, day))
    port.apply(edits)
    return result


def _applied_note(sheet: SheetData, result: ImportResult, today: dt.date) -> SetCells:
    """The Import sheet's Source row, rewritten: the plan on it is applied, not pending."""
    row = int(source_rows(sheet.frame).index[0])
    note = say(result.plan.lang, "Applied {d}: {s}", "Utført {d}: {s}",
               d=today.isoformat(), s=result.summary())  # fmt: skip
    return SetCells(IMPORT, {(row, sheet.columns["Note"]): note})


def plan_edits(plan: Plan) -> list[Edit]:
    """The Import sheet: a source row, then every planned action, one per row."""
    headers = layout.headers(IMPORT, plan.lang)
    rows = plan_rows(plan, ImportResult(plan, False).summary())
    return [EnsureSheet(IMPORT, headers), ReplaceRows(IMPORT, rows, header=headers)]


def apply_edits(here: Register, plan: Plan, today: dt.date) -> list[Edit]:
    """New customers, their purchases and mailings appended; taken changes and columns set;
    a log row (and the other book's tombstones)."""
    edits: list[Edit] = []
    appended = (
        (s.CUSTOMERS, [(n.other_row, n.record) for n in plan.added()]),
        (s.PURCHASES, [(other_row(r), r) for r in plan.to_add(plan.purchases)]),
        (s.MAILINGS, [(other_row(r), r) for r in plan.to_add(plan.mailings)]),
    )
    for sheet, carried in appended:
        if carried:
            records, extra = with_extras(plan, sheet, carried)
            columns = here.sheets[sheet].columns | extra
            edits.append(AppendRows(sheet, [placed(r, columns) for r in records]))
    edits += column_edits(plan)
    for sheet in (s.CUSTOMERS, s.MAILINGS):
        columns = here.sheets[sheet].columns
        cells = {(c.here_row, columns[c.field]): c.other for c in plan.taken()
                 if c.sheet == sheet and c.field in columns}  # fmt: skip
        if cells:
            edits.append(SetCells(sheet, cells))
    event = say(plan.lang, "Import", "Import")
    log = log_edits(plan.lang, today, event, plan.source, ImportResult(plan, True).summary())
    return edits + log + _carried_log(plan, today)


def _carried_log(plan: Plan, today: dt.date) -> list[Edit]:
    """The other book's erasure keys and tombstones, on this Log (Source: the other book)."""
    nb = plan.lang == "nb"
    rows = [[today, tombstones.KEY_EVENT[nb], plan.source, k] for k in plan.keys]
    rows += [[t.date, tombstones.ERASED_EVENT[nb], plan.source, t.details()]
             for t in plan.tombstones]  # fmt: skip
    return [AppendRows(LOG, rows)] if rows else []


def apply_logged(
    here: Register, plan: Plan, today: dt.date, event: str, summary: str
) -> list[Edit]:
    """A plan's edits with one Log row of its own ``event``: the import of a source that is no
    register (a SAF-T file, Brønnøysund), which has no Log for ``apply_edits`` to carry over."""
    log = log_edits(plan.lang, today, event, plan.source, summary)
    if plan.empty:
        return log
    return [e for e in apply_edits(here, plan, today) if e.sheet != LOG] + log


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
    more = port.read([s.RECIPIENTS, s.ISSUES, IMPORT, LOG, s.SYNC], strict=False)
    return replace(here, sheets={**here.sheets, **more.sheets})


def _rows_of(register: Register, customer_id: int) -> dict[str, list[int]]:
    rows = customer_rows(register, customer_id, extra=[IMPORT, s.SYNC])
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
    day = today or dt.date.today()
    edits = erase_edits(rows)
    report = derived.report_rebuilt(port, register, rows, day)
    port.apply(edits + report + tombstone_edits(register, rows[s.CUSTOMERS][0], day))
    return Erased(register.lang, sum(len(r) for r in rows.values()), tuple(files), bool(report))


def tombstone_edits(register: Register, row: int, today: dt.date) -> list[Edit]:
    """The Log rows an erasure leaves: the tombstone (keyed hashes, no personal data), after
    the workbook's erasure key when this is its first erasure (core/tombstones.py)."""
    lang, key = register.lang, tombstones.own_key(register)
    rows: list[list[object]] = []
    if key is None:
        key = tombstones.new_key()
        rows.append([today, tombstones.KEY_EVENT[lang == "nb"], None, key])
    customer = register.frame(s.CUSTOMERS).loc[row]
    stone = tombstones.tombstone(
        key, customer["Org number"], customer["Company"], customer["Postal code"]
    )
    rows.append([today, tombstones.ERASED_EVENT[lang == "nb"], None, stone.details()])
    return [EnsureSheet(LOG, layout.headers(LOG, lang)), AppendRows(LOG, rows)]


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
