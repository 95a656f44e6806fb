"""The CRM ribbon's entry points: one function per button, run by the add-in through xlwings.

Each takes the workbook that called it (``xw.Book.caller()``, inside the function: importing
this module touches no Excel), runs the same action as the command line through the live port,
shows progress in Excel's status bar and ends with a short message box. A problem the user can
act on (``CrmbookError``) is a message box in the workbook's language; anything else is a
message box too, with the details written to a log file — never a Python traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmbook.book import layout
from crmbook.book.live import LiveBook
from crmbook.core.i18n import say
from crmbook.errors import CrmbookError, UsageError

if TYPE_CHECKING:
    from crmbook.actions.importing import ImportResult

TITLE = "crmbook"
LOG = Path(tempfile.gettempdir()) / "crmbook-excel.log"
DOCS = "the crmbook README (section Excel) and `crmbook --help`"


def _caller() -> Any:
    import xlwings as xw

    return xw.Book.caller()


def _lang(book: Any) -> str:
    return layout.detect_lang(sheet.name for sheet in book.sheets)


def entry_point(action: Callable[..., str]) -> Callable[..., None]:
    """Run ``action(book, port, *args)`` for the calling workbook; show its summary or error.

    An action returns "" when there is nothing to tell (the user cancelled one of its questions).
    """

    @functools.wraps(action)
    def run(*args: str) -> None:
        book = _caller()
        app = book.app
        lang = _lang(book)

        def progress(text: str) -> None:
            app.status_bar = f"{TITLE}: {text}"

        try:
            summary = action(book, LiveBook(book, progress), *args)
        except CrmbookError as exc:
            app.alert(str(exc), TITLE, mode="critical")
        except Exception as exc:  # a bug: say so plainly, keep the details for a report
            LOG.write_text(traceback.format_exc(), encoding="utf-8")
            app.alert(_unexpected(lang, exc), TITLE, mode="critical")
        else:
            if summary:  # empty when the user cancelled a question: no box to dismiss
                app.alert(summary, TITLE, mode="info")
        finally:
            app.status_bar = False

    return run


def _unexpected(lang: str, exc: Exception) -> str:
    return say(
        lang,
        "crmbook stopped on an unexpected error ({error}). Nothing more was written. The "
        "details are in {log}; please send that file to whoever supports crmbook for you.",
        "crmbook stoppet på en uventet feil ({error}). Ingenting mer ble skrevet. Detaljene "
        "står i {log}; send den fila til den som hjelper dere med crmbook.",
        error=f"{type(exc).__name__}: {exc}",
        log=LOG,
    )


def unhex(text: str) -> str:
    """Text from the ribbon's VBA, sent as hex of UTF-16 code units (see callbacks.bas)."""
    return bytes.fromhex(text).decode("utf-16-be")


@entry_point
def validate(book: Any, port: LiveBook) -> str:
    """Validate: check the register, write the Issues sheet and mark the cells."""
    from crmbook.actions import validate as action

    result = action.run(port)
    return result.summary() + "\n" + say(result.lang, "See the Issues sheet.", "Se arket Kontroll.")


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
    register = port.read()
    result = action.compute(register, name)
    port.apply(action.recipients_edits(register, result))
    return say(
        register.lang,
        "{n} customers in '{name}'. They are on the Recipients sheet.",
        "{n} kunder i «{name}». De står på arket Mottakere.",
        n=result.count,
        name=result.selection,
    )


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
    if not result.files:
        return _no_letters(result)
    return say(
        result.lang,
        "{n} letters for '{c}' in {d}; print file: {p}. {k} skipped. Logged on the Mailings "
        "sheet: save the workbook.",
        "{n} brev for «{c}» i {d}; utskriftsfil: {p}. {k} hoppet over. Logget på arket "
        "Utsendelser: lagre arbeidsboka.",
        n=len(result.files),
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


def open_file(path: Path) -> None:
    """Open a file in its program (Word for a letter), as a double-click would."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
    else:
        subprocess.run(["open" if sys.platform == "darwin" else "xdg-open", str(path)], check=False)


@entry_point
def report(book: Any, port: LiveBook) -> str:
    """Report: key figures, tables and two charts on the Report sheet (rebuilt each time)."""
    from crmbook.actions import report as action

    register, figures = action.run(port, dt.date.today())
    return action.summary(figures, register.lang, written=True)


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
        lines.append(say(lang,
            "{n} choices on the Import sheet no longer fit the workbooks and were left at keep.",
            "{n} valg i arket Import passer ikke lenger med arbeidsbøkene og ble stående som "
            "behold.", n=result.stale))  # fmt: skip
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
def help(book: Any, port: LiveBook) -> str:
    """Help: what each button does."""
    return say(
        _lang(book),
        "The CRM tab:\n"
        "• Validate — checks the register; problems go to the Issues sheet, cells are marked.\n"
        "• Compute selection — pick a selection from the Selections sheet; its customers go "
        "to the Recipients sheet.\n"
        "• Preview letter / Make letters — letters from a Word template for the recipients.\n"
        "• Report — key figures, purchases per product and responses per campaign, with two "
        "charts, on the Report sheet.\n"
        "• Import register — merge another crmbook workbook: the first press writes a plan to "
        "the Import sheet (set Choice keep/take there); press again with the same workbook and "
        "answer Yes to carry it out.\n"
        "More: {docs}",
        "CRM-fanen:\n"
        "• Validate (kontroller) — sjekker registeret; feil havner på arket Kontroll, og "
        "cellene merkes.\n"
        "• Compute selection (beregn utvalg) — velg et utvalg fra arket Utvalg; kundene havner "
        "på arket Mottakere.\n"
        "• Preview letter / Make letters — brev fra en Word-mal til mottakerne.\n"
        "• Report — nøkkeltall, kjøp per produkt og svar per kampanje, med to diagrammer, i "
        "arket Rapport.\n"
        "• Import register — slå sammen med en annen crmbook-arbeidsbok: første trykk skriver "
        "en plan i arket Import (sett Valg behold/ta der); trykk igjen med samme arbeidsbok og "
        "svar Ja for å utføre den.\n"
        "Mer: {docs}",
        docs=DOCS,
    )
