"""The CRM ribbon's entry points: one function per button, run by the add-in through xlwings.

Each takes the workbook that called it, runs the same action as the command line through the
live port and ends with a short message box (``excel_run`` says how: status bar, messages in the
workbook's language, never a traceback). The functions stay thin: the work is the actions'.
Text from VBA arrives as UTF-16 hex (``unhex``); a selected row arrives as sheet name and row.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmbook.core import schema as s
from crmbook.core.i18n import plural, say
from crmbook.errors import UsageError
from crmbook.excel_db import db_pull, db_sync
from crmbook.excel_run import TITLE, entry_point, open_file, unhex
from crmbook.excel_run import book_lang as _lang

if TYPE_CHECKING:
    from crmbook.actions.importing import ImportResult
    from crmbook.actions.letters import LettersResult
    from crmbook.book.live import LiveBook

__all__ = ["db_pull", "db_sync", "open_file", "unhex"]  # for the VBA: x.unhex(…), x.db_sync()
DOCS = "the crmbook README (section Excel) and `crmbook --help`"


@entry_point
def validate(book: Any, port: LiveBook) -> str:
    """Validate: check the register, write the Issues sheet and mark the cells."""
    from crmbook.actions import validate as action

    result = action.run(port)
    issues = _sheet(s.ISSUES, result.lang)
    return (
        result.summary()
        + "\n"
        + say(result.lang, "See the {sheet} sheet.", "Se arket {sheet}.", sheet=issues)
    )


@entry_point
def validate_fix(book: Any, port: LiveBook) -> str:
    """Validate and fix: validate, and make the fixes that have exactly one reading."""
    from crmbook.actions import validate as action

    result = action.run(port, fix=True)
    return (
        result.summary()
        + "\n"
        + say(
            result.lang,
            "Each fix and every remaining issue is on the {sheet} sheet.",
            "Hver retting og hvert gjenstående problem står på arket {sheet}.",
            sheet=_sheet(s.ISSUES, result.lang),
        )
    )


def _sheet(sheet: str, lang: str) -> str:
    """A sheet's visible name, from the one vocabulary (no pandas on a button's start)."""
    from crmbook.core.vocabulary import SHEET_NAMES_NB

    return SHEET_NAMES_NB[sheet] if lang == "nb" else sheet


def _need_selection(lang: str, name: str) -> None:
    if not name.strip():
        raise UsageError(
            say(
                lang,
                "There are no selections yet: add criteria on the Selections sheet (one row "
                "per criterion), then pick the selection's name in the menu.",
                "Det finnes ingen utvalg ennå: legg inn kriterier på arket Utvalg (én rad per "
                "kriterium), og velg så utvalgets navn i menyen.",
            )
        )


@entry_point
def select(book: Any, port: LiveBook, name: str = "") -> str:
    """Compute selection: the chosen selection's customers go to the Recipients sheet."""
    from crmbook.actions import select as action

    _need_selection(_lang(book), name)
    return action.run(port, action.Request(name)).message()


def _letters(book: Any, port: LiveBook, selection: str, template: str, **options: Any) -> Any:
    """The letters action on the calling workbook, progress as "Letter 3 of 120"."""
    from crmbook.actions.letters import Request
    from crmbook.actions.letters import make_letters as action

    lang = _lang(book)
    _need_selection(lang, selection)

    def progress(done: int, total: int) -> None:
        book.app.status_bar = f"{TITLE}: " + say(
            lang, "letter {i} of {n}", "brev {i} av {n}", i=done, n=total
        )

    req = Request(selection, Path(template), **options)
    return action(port, Path(book.fullname), req, dt.date.today(), progress)


@entry_point
def preview_letter(book: Any, port: LiveBook, selection: str = "", template: str = "") -> str:
    """Preview letter: the selection's first letter, opened in Word; nothing is logged."""
    out = Path(tempfile.gettempdir()) / "crmbook-preview"  # never beside a campaign's letters
    result = _letters(book, port, selection, template, out=out, preview=True, overwrite=True)
    if not result.files:
        return _no_letters(result)
    open_file(result.files[0])
    return say(result.lang, "Preview: {f}", "Forhåndsvisning: {f}", f=result.files[0])


@entry_point
def make_letters(
    book: Any, port: LiveBook, selection: str = "", template: str = "", campaign: str = ""
) -> str:
    """Make letters: one letter per recipient, a print file, and the Mailings log."""
    result = _letters(book, port, selection, template, campaign=campaign or None)
    return _made(result) if result.files else _no_letters(result)


@entry_point
def make_letters_pdf(
    book: Any, port: LiveBook, selection: str = "", template: str = "", campaign: str = ""
) -> str:
    """Letters and PDF: as Make letters, and every letter and the print file as PDF too."""
    result = _letters(book, port, selection, template, campaign=campaign or None, pdf=True)
    if not result.files:
        return _no_letters(result)
    pdfs = say(
        result.lang,
        "{n} beside them.",
        "{n} ved siden av.",
        n=plural(result.lang, len(result.pdf), ("PDF file", "PDF files"), ("PDF-fil", "PDF-filer")),
    )
    return _made(result) + "\n" + pdfs


def _made(result: LettersResult) -> str:
    return say(
        result.lang,
        "{n} for '{c}' in {d}; print file: {p}. {k} skipped. Logged on the Mailings "
        "sheet: save the workbook.",
        "{n} brev for «{c}» i {d}; utskriftsfil: {p}. {k} hoppet over. Logget på arket "
        "Utsendelser: lagre arbeidsboka.",
        n=plural(result.lang, len(result.files), ("letter", "letters"), ("brev", "brev")),
        c=result.campaign,
        d=result.folder,
        p=result.combined.name if result.combined else "-",
        k=len(result.skipped),
    )


def _no_letters(result: Any) -> str:
    reasons = "\n".join(f"{k.customer_id}: {k.reason}" for k in result.skipped[:10])
    return say(
        result.lang,
        "No letters were made for '{c}'.\n{r}",
        "Ingen brev ble laget for «{c}».\n{r}",
        c=result.campaign,
        r=reasons,
    )


@entry_point
def report(book: Any, port: LiveBook) -> str:
    """Report: key figures, six charts and tables on the Report sheet (rebuilt each time)."""
    from crmbook.actions import report as action

    register, figures = action.run(port, dt.date.today())
    return action.summary(figures, register.lang, written=True)


@entry_point
def report_pdf(book: Any, port: LiveBook) -> str:
    """Report as PDF: the Report made again, then saved as a PDF beside the workbook by
    Excel's own export (what `crmbook report --pdf` does through LibreOffice)."""
    from crmbook.actions import report as action
    from crmbook.book import layout

    register, figures = action.run(port, dt.date.today())
    lang = register.lang
    home = Path(book.fullname)
    if not home.parent.is_dir():  # a new workbook not saved yet has no folder
        raise UsageError(
            say(lang, "Save the workbook first: the PDF goes beside it.",
                "Lagre arbeidsboka først: PDF-en legges ved siden av den.")
        )  # fmt: skip
    name = say(lang, "{s} report.pdf", "{s} rapport.pdf", s=home.stem)
    sheet = layout.find_sheet(s.REPORT, [sheet.name for sheet in book.sheets])
    target = home.with_name(name)
    book.sheets[sheet].to_pdf(str(target))
    return (
        action.summary(figures, lang, written=True)
        + "\n"
        + say(lang, "PDF: {p}", "PDF: {p}", p=target)
    )


@entry_point
def import_register(book: Any, port: LiveBook, other: str = "") -> str:
    """Import register: merge another crmbook workbook into this one, in two presses.

    The ribbon has one button, so the step is chosen here: the first press with a workbook
    writes the plan to the Import sheet; a later press with the same workbook asks whether to
    carry out the plan as chosen there (Yes), make the plan afresh (No), or do nothing (Cancel).
    """
    from crmbook.actions import importing as action

    lang = _lang(book)
    path = _other_book(lang, book, other)
    theirs = action.read_other(path)
    apply = False
    if _planned_source(port) == path.name:
        answer = book.app.alert(_apply_question(lang, path.name), TITLE, buttons="yes_no_cancel")
        if answer not in ("yes", "no"):
            return ""  # cancelled: nothing done, nothing to say
        apply = answer == "yes"
    return _import_message(action.run(port, theirs, path.name, apply=apply))


def _other_book(lang: str, book: Any, other: str) -> Path:
    """The workbook to import, refused when it is none or this one."""
    path = Path(other.strip())
    if not other.strip():
        raise UsageError(
            say(lang, "Choose the workbook to import.", "Velg arbeidsboka som skal importeres.")
        )
    if path.resolve() == Path(book.fullname).resolve():
        raise UsageError(
            say(
                lang,
                "{f} is this workbook; choose another department's register.",
                "{f} er denne arbeidsboka; velg en annen avdelings register.",
                f=path.name,
            )
        )
    return path


def _planned_source(port: LiveBook) -> str | None:
    """The file whose import plan is on the Import sheet (its Source row), if any."""
    from crmbook.actions import importing as action

    return action.planned_source(port.read([action.IMPORT], strict=False).frame(action.IMPORT))


def _apply_question(lang: str, source: str) -> str:
    return say(
        lang,
        "The Import sheet holds the plan for importing {f}.\n\n"
        "Apply the plan as chosen on the Import sheet?\n\n"
        "Yes: import now, taking the values whose Choice is 'take'.\n"
        "No: make the plan again from both workbooks (the choices are reset to keep).\n"
        "Cancel: do nothing.",
        "Arket Import har planen for import av {f}.\n\n"
        "Utføre planen slik den er valgt i arket Import?\n\n"
        "Ja: importer nå, og ta inn verdiene der Valg er «ta».\n"
        "Nei: lag planen på nytt fra begge arbeidsbøkene (valgene settes tilbake til behold).\n"
        "Avbryt: gjør ingenting.",
        f=source,
    )


def _import_message(result: ImportResult) -> str:
    """The summary, then what happened and what to do next."""
    lang = result.plan.lang
    lines = [result.summary()]
    if result.stale:
        stale = plural(lang, result.stale, ("choice", "choices"), ("valg", "valg"))
        lines.append(say(lang,
            "{n} on the Import sheet no longer fit the workbooks and were left at keep.",
            "{n} i arket Import passer ikke lenger med arbeidsbøkene og ble stående som "
            "behold.", n=stale))  # fmt: skip
    if not result.applied:
        lines.append(say(lang,
            "The plan is on the Import sheet. Set Choice to 'take' where the other workbook is "
            "right, then press Import register again, choose the same workbook and answer Yes.",
            "Planen står i arket Import. Sett Valg til «ta» der den andre arbeidsboka har rett, "
            "trykk så Import register igjen, velg samme arbeidsbok og svar Ja."))  # fmt: skip
    else:
        lines.append(str(result.outcome()))
        if not result.plan.empty:
            lines.append(say(lang, "Save the workbook.", "Lagre arbeidsboka."))
    return "\n".join(lines)


@entry_point
def explain_customer(
    book: Any, port: LiveBook, selection: str = "", sheet: str = "", row: int | str = 0
) -> str:
    """Why not selected?: which criteria of the selection keep the selected row's customer out."""
    from crmbook.actions import customer
    from crmbook.actions import select as action
    from crmbook.actions.importing import customer_register

    register = customer_register(port)
    _need_selection(register.lang, selection)
    picked = customer.on_row(register, sheet, int(row))
    return "\n".join(action.explain(register, selection, picked.customer_id).lines(register.lang))


@entry_point
def export_customer(book: Any, port: LiveBook, sheet: str = "", row: int | str = 0) -> str:
    """Export customer (GDPR): everything on the selected row's customer, to a JSON file."""
    from crmbook.actions import customer

    picked = customer.picked(port, sheet, int(row))
    path = customer.export_file(port, Path(book.fullname), picked.customer_id, dt.date.today())
    return say(
        picked.lang,
        "Everything the register holds on customer {who} is in {file}.",
        "Alt registeret har om kunde {who}, står i {file}.",
        who=picked,
        file=path,
    )


@entry_point
def erase_customer(book: Any, port: LiveBook, sheet: str = "", row: int | str = 0) -> str:
    """Erase customer (GDPR): after a Yes naming the customer, remove them from every sheet."""
    from crmbook.actions import customer
    from crmbook.actions.importing import erase_customer as erase

    picked = customer.picked(port, sheet, int(row))
    question = say(
        picked.lang,
        "Erase customer {who} from every sheet of this workbook?\n\nTheir rows on Customers, "
        "Purchases, Mailings and Recipients are removed; the Log sheet keeps an anonymous row. "
        "This cannot be undone once the workbook is saved.",
        "Slette kunde {who} fra alle ark i denne arbeidsboka?\n\nRadene på Kunder, Kjøp, "
        "Utsendelser og Mottakere fjernes; arket Logg får en anonym rad. Dette kan ikke angres "
        "når arbeidsboka er lagret.",
        who=picked,
    )
    if book.app.alert(question, TITLE, buttons="yes_no", mode="critical") != "yes":
        return ""
    erased = erase(port, picked.customer_id, home=Path(book.fullname).parent)
    lines = [
        say(picked.lang, "Customer {who} erased from {n}. Save the workbook.",
            "Kunde {who} er slettet fra {n}. Lagre arbeidsboka.", who=picked,
            n=plural(picked.lang, erased.rows, ("row", "rows"), ("rad", "rader")))
    ]  # fmt: skip
    if erased.files:
        lines.append(say(picked.lang,
            "These files still hold the customer's data; delete them yourself:",
            "Disse filene har fortsatt kundens data; slett dem selv:"))  # fmt: skip
        lines += [f"  {f}" for f in erased.files[:20]]
    return "\n".join(lines)


@entry_point
def settings(book: Any, port: LiveBook) -> str:
    """Settings: show the Settings sheet (sender, signature, template and output folders)."""
    from crmbook.book import layout

    lang = _lang(book)
    name = layout.find_sheet(s.SETTINGS, [sheet.name for sheet in book.sheets])
    if name is None:
        raise UsageError(
            say(
                lang,
                "This workbook has no sheet '{sheet}': is it a crmbook register? `crmbook new` "
                "makes one.",
                "Denne arbeidsboka har ikke noe ark «{sheet}»: er det et crmbook-register? "
                "`crmbook new` lager et.",
                sheet=layout.sheet_name(s.SETTINGS, lang),
            )
        )
    sheet = book.sheets[name]
    sheet.visible = True
    sheet.activate()
    return ""


@entry_point
def help(book: Any, port: LiveBook) -> str:
    """Help: what each button does."""
    return say(
        _lang(book),
        "The CRM tab:\n"
        "• Validate — checks the register; problems go to the Issues sheet, cells are marked. "
        "Validate and fix also corrects what has exactly one reading.\n"
        "• Import register — merge another crmbook workbook: the first press writes a plan to "
        "the Import sheet (set Choice keep/take there); press again with the same workbook and "
        "answer Yes to carry it out.\n"
        "• Settings — the Settings sheet: sender, signature, logo and signature files, "
        "template and output folders.\n"
        "• Compute selection — pick a selection from the Selections sheet; its customers go "
        "to the Recipients sheet.\n"
        "• Preview letter / Make letters / Letters and PDF — letters from a Word template for "
        "the recipients, logged on the Mailings sheet.\n"
        "• Why not selected? — select a customer's row, pick a selection: the criteria that "
        "keep the customer out.\n"
        "• Export customer / Erase customer — the selected row's customer (GDPR): everything "
        "to a JSON file, or removed from every sheet after you confirm.\n"
        "• Report — key figures, purchases and responses, with six charts, on the Report "
        "sheet, ready to print on A4. Report as PDF saves it as a PDF beside the workbook.\n"
        "• Pull / Sync — for a workbook linked to a shared database: fill the sheets from the "
        "database; send your edits there, then pull (conflicts wait on the Import sheet).\n"
        "More: {docs}",
        "CRM-fanen:\n"
        "• Kontroller — sjekker registeret; feil havner på arket Kontroll, og cellene merkes. "
        "Kontroller og rett retter også det som bare kan leses på én måte.\n"
        "• Importer register — slå sammen med en annen crmbook-arbeidsbok: første trykk skriver "
        "en plan i arket Import (sett Valg behold/ta der); trykk igjen med samme arbeidsbok og "
        "svar Ja for å utføre den.\n"
        "• Innstillinger — arket Innstillinger: avsender, signatur, logo- og signaturfil, mal- "
        "og utdatamappe.\n"
        "• Beregn utvalg — velg et utvalg fra arket Utvalg; kundene havner på arket Mottakere.\n"
        "• Forhåndsvis brev / Lag brev / Brev og PDF — brev fra en Word-mal til mottakerne, "
        "logget på arket Utsendelser.\n"
        "• Hvorfor ikke med? — merk en kundes rad og velg et utvalg: kriteriene som holder "
        "kunden utenfor.\n"
        "• Eksporter kunde / Slett kunde — kunden i den merkede raden (GDPR): alt til en "
        "JSON-fil, eller fjernet fra alle ark etter at du har bekreftet.\n"
        "• Rapport — nøkkeltall, kjøp og svar, med seks diagrammer, i arket Rapport, klart til "
        "utskrift på A4. Rapport som PDF lagrer den som PDF ved siden av arbeidsboka.\n"
        "• Hent / Synk — for en arbeidsbok koblet til en felles database: fyll arkene fra "
        "databasen; send endringene dine dit, og hent (konflikter venter i arket Import).\n"
        "Mer: {docs}",
        docs=DOCS,
    )
