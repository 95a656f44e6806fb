"""``select`` and ``report`` on a database URL, printed or written into a workbook.

``--into BOOK.xlsx`` puts the result where staff can work with it: the Recipients sheet (the
selected customers and the funnel) or the Report sheet, written as on a workbook of their own —
through ``FileBook``, under its lock, with its backup, in BOOK's language. The database is only
read: a role with SELECT rights alone is enough.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from crmbook.actions.select import Selected, recipients_edits
from crmbook.book import layout
from crmbook.book.filebook import FileBook, book_lang
from crmbook.core import schema as s
from crmbook.core.register import Register
from crmbook.db.sql_select import select as select_on_db
from crmbook.db.view import DbView

if TYPE_CHECKING:
    from crmbook.core.report import Figures


def select(url: str, name: str, into: Path | None = None) -> Selected:
    """A saved selection computed on the database; with ``into``, on that workbook's
    Recipients sheet too."""
    if into is None:
        found = select_on_db(url, name)
        lang = found.register.lang
        return Selected(lang, found.result, False, layout.sheet_name(s.RECIPIENTS, lang))
    book, lang = FileBook(into), book_lang(into)
    with book.writing():
        _ready(book)
        found = select_on_db(url, name, lang, recipients=True)
        book.apply(recipients_edits(found.register, found.result))
    return Selected(lang, found.result, True, layout.sheet_name(s.RECIPIENTS, lang))


def report(url: str, today: dt.date, into: Path | None = None) -> tuple[Register, Figures]:
    """The report's figures of the database's register; with ``into``, on that workbook's
    Report sheet too (in its language)."""
    from crmbook.actions import report as report_action  # not loaded for select

    if into is None:
        return report_action.run(DbView(url), today, write=False)
    book = FileBook(into)
    with book.writing():
        _ready(book)
        register, figures = report_action.run(DbView(url, lang=book_lang(into)), today,
                                              write=False)  # fmt: skip
        book.apply(report_action.report_edits(register, figures))
    return register, figures


def _ready(book: FileBook) -> None:
    """Refuse before any database work when the workbook cannot be written (open in Excel,
    read-only, not a workbook), and note it as read, so a save meanwhile is not overwritten."""
    book.check_writable()
    book.read((), strict=False)
