"""The ribbon's Database group: Pull and Sync for a workbook linked to the shared register.

The buttons show only when the workbook's Settings sheet names a database (the VBA asks
``HasDatabase``); pressed on a workbook without one (the ribbon is redrawn only after a press),
they say what to do instead. The work is the command line's (``crmbook db pull`` and ``db
sync``) through the live port; the workbook in Excel is changed, and the user saves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmbook.core.i18n import plural, say
from crmbook.errors import UsageError
from crmbook.excel_run import book_lang as _lang
from crmbook.excel_run import entry_point

if TYPE_CHECKING:
    from crmbook.book.live import LiveBook
    from crmbook.db.workbook import Link


@entry_point
def db_pull(book: Any, port: LiveBook) -> str:
    """Pull: fill the data sheets again from the database the Settings sheet names."""
    from crmbook.actions.db_sync import pull

    found = _linked(book, port)
    result = pull(port, str(found.url), found.department)
    return say(result.lang,
        "{n} pulled from the database. Save the workbook.",
        "{n} hentet fra databasen. Lagre arbeidsboka.",
        n=plural(result.lang, result.customers, ("customer", "customers"),
                 ("kunde", "kunder")))  # fmt: skip


@entry_point
def db_sync(book: Any, port: LiveBook) -> str:
    """Sync: send the workbook's edits to its database, then pull; conflicts on Import."""
    from crmbook.actions.db_sync import sync

    _linked(book, port)
    result = sync(port)
    lines = [result.summary()]
    if result.conflicts:
        lines.append(say(result.lang,
            "Open the Import sheet, type keep or take in Choice, then press Sync again.",
            "Åpne arket Import, skriv behold eller ta i Valg, og trykk Synk igjen."))  # fmt: skip
    lines.append(say(result.lang, "Save the workbook.", "Lagre arbeidsboka."))
    return "\n".join(lines)


def _linked(book: Any, port: LiveBook) -> Link:
    """The workbook's database link; without one, what to do to make it."""
    from crmbook.core import schema as s
    from crmbook.db.workbook import link

    lang = _lang(book)
    settings = port.read([s.SETTINGS], strict=False).sheets.get(s.SETTINGS)
    found = link(settings, lang)
    if found.url is None:
        raise UsageError(say(lang,
            "This workbook is not linked to a shared database: its Settings sheet has no "
            "Database row. Link it once from a command prompt: crmbook db pull URL \"{book}\" "
            "(your IT department knows the URL; see docs/database.md). Pull and Sync then work "
            "from this tab.",
            "Denne arbeidsboka er ikke koblet til en felles database: arket Innstillinger har "
            "ingen rad Database. Koble den én gang fra en ledetekst: crmbook db pull URL "
            "\"{book}\" (IT-avdelingen kjenner URL-en; se docs/database.md). Hent og Synk "
            "virker så fra denne fanen.", book=book.fullname))  # fmt: skip
    return found
