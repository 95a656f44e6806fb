"""``crmbook report``: key figures on customers, purchases and responses, on the Report sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from crmbook.cli import main


@main.command("report")
@click.argument("book")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--no-write", is_flag=True, help="Compute and print only; leave the workbook as is.")
@click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="Also print the Report sheet to a PDF beside BOOK (needs LibreOffice).",
)
def report(book: str, as_json: bool, no_write: bool, pdf: bool) -> None:
    """Fill the Report sheet of BOOK with key figures and charts (rebuilt on every run).

    BOOK may be a database URL: the figures of the shared register are then printed only.
    """
    from crmbook.actions import report as action
    from crmbook.book.filebook import FileBook, book_lang
    from crmbook.core.i18n import say
    from crmbook.core.report_json import to_json
    from crmbook.db.connect import is_url
    from crmbook.db.view import DbView

    if pdf and (no_write or is_url(book)):
        lang = book_lang(Path(book)) if not is_url(book) and Path(book).exists() else "en"
        raise click.UsageError(
            say(lang, "--pdf prints the Report it writes into a workbook: leave out --no-write "
                "and give a workbook, not a database URL.",
                "--pdf skriver ut rapporten den lager i en arbeidsbok: ta bort --no-write og "
                "oppgi en arbeidsbok, ikke en database-URL.")
        )  # fmt: skip
    workbook = DbView(book) if is_url(book) else FileBook(Path(book))
    no_write = no_write or is_url(book)
    with workbook.writing(not no_write):
        register, figures = action.run(workbook, dt.date.today(), write=not no_write)
    printed = _print(Path(book), register.lang) if pdf else None
    if as_json:
        shown = to_json(figures)
        if printed is not None:
            shown["pdf"] = str(printed)
        click.echo(json.dumps(shown, ensure_ascii=False))
        return
    click.echo(action.summary(figures, register.lang, written=not no_write))
    if printed is not None:
        click.echo(say(register.lang, "PDF: {p}", "PDF: {p}", p=printed))


def _print(book: Path, lang: str) -> Path:
    """The Report as a PDF beside the workbook: 'crmbook report.pdf' / 'crmbook rapport.pdf'."""
    from crmbook.book.report_pdf import report_pdf
    from crmbook.core.i18n import say

    name = say(lang, "{s} report.pdf", "{s} rapport.pdf", s=book.stem)
    return report_pdf(book, book.with_name(name), lang)
