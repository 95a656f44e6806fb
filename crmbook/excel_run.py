"""How a ribbon entry point runs: on the workbook that called it, with progress in Excel's
status bar, ending in one message box; never a Python traceback.

The calling workbook is ``xw.Book.caller()``, asked inside each call: importing this module
touches no Excel, and pandas is loaded only when a button runs, so the import stays quick. A
problem the user can act on (``CrmbookError``) is a message box in the workbook's language;
anything else is a message box too, with the details written to a log file.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crmbook.core.i18n import say
from crmbook.errors import CrmbookError

TITLE = "crmbook"
LOG = Path(tempfile.gettempdir()) / "crmbook-excel.log"


def caller() -> Any:
    """The workbook whose ribbon button was pressed."""
    import xlwings as xw

    return xw.Book.caller()


def book_lang(book: Any) -> str:
    """The workbook's language, from its sheet names (as the file reader decides it)."""
    from crmbook.book import layout

    return layout.detect_lang(sheet.name for sheet in book.sheets)


def entry_point(action: Callable[..., str]) -> Callable[..., None]:
    """Run ``action(book, port, *args)`` for the calling workbook; show its summary or error.

    An action returns "" when there is nothing to tell (the user cancelled one of its questions).
    """

    @functools.wraps(action)
    def run(*args: str | int) -> None:
        from crmbook.book.live import LiveBook

        book = caller()
        app = book.app
        lang = book_lang(book)

        def progress(text: str) -> None:
            app.status_bar = f"{TITLE}: {text}"

        try:
            summary = action(book, LiveBook(book, progress), *args)
        except CrmbookError as exc:
            app.alert(str(exc), TITLE, mode="critical")
        except Exception as exc:  # a bug: say so plainly, keep the details for a report
            LOG.write_text(traceback.format_exc(), encoding="utf-8")
            app.alert(unexpected(lang, exc), TITLE, mode="critical")
        else:
            if summary:  # empty when the user cancelled a question: no box to dismiss
                app.alert(summary, TITLE, mode="info")
        finally:
            app.status_bar = False

    return run


def unexpected(lang: str, exc: Exception) -> str:
    """The message for a bug: what happened, that nothing more was written, where the log is."""
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
    """Text from the ribbon's VBA, sent as hex of UTF-16 code units (Hex16 in callbacks.bas)."""
    return bytes.fromhex(text).decode("utf-16-be")


def open_file(path: Path) -> None:
    """Open a file in its program (Word for a letter), as a double-click would."""
    if sys.platform == "win32":
        os.startfile(path)  # type: ignore[attr-defined]
    else:
        subprocess.run(["open" if sys.platform == "darwin" else "xdg-open", str(path)], check=False)
