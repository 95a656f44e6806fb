"""``crmbook report``: key figures on customers, purchases and responses, on the Report sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crmbook.book import prefetch
from crmbook.cli import main

if TYPE_CHECKING:
    from crmbook.core.report import Figures


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
@click.option("--into", "into", metavar="BOOK.xlsx", help="With a database URL: write the "
              "figures to this workbook's Report sheet.",
              type=click.Path(dir_okay=False, exists=True, path_type=Path))  # fmt: skip
def report(book: str, as_json: bool, no_write: bool, pdf: bool, into: Path | None) -> None:
    """Fill the Report sheet of BOOK with key figures and charts (rebuilt on every run).

    BOOK may be a database URL: the figures of the shared register are then printed, or
    written into a workbook with --into.
    """
    with prefetch.reading(book):  # before the imports below: the parse runs beside them
        from crmbook.actions import report as action
        from crmbook.book.filebook import FileBook
        from crmbook.cli.db import check_into
        from crmbook.db.connect import is_url

        check_into(book, into, no_write)
        target = into or Path(book)  # the workbook the Report is written to, if any
        if pdf and (no_write or (is_url(book) and into is None)):
            _refuse_pdf(book)
        if is_url(book):
            from crmbook.actions.db_results import report as on_db

            register, figures = on_db(book, dt.date.today(), into)
            written = into is not None
        else:
            workbook = FileBook(Path(book))
            with workbook.writing(not no_write):
                register, figures = action.run(workbook, dt.date.today(), write=not no_write)
            written = not no_write
    printed = _print(target, register.lang) if pdf else None
    _show(register.lang, figures, written, printed, as_json)


def _refuse_pdf(book: str) -> None:
    from crmbook.book.filebook import book_lang
    from crmbook.core.i18n import say
    from crmbook.db.connect import is_url

    lang = book_lang(Path(book)) if not is_url(book) and Path(book).exists() else "en"
    raise click.UsageError(
        say(lang, "--pdf prints the Report it writes into a workbook: leave out --no-write "
            "and give a workbook, or a database URL with --into BOOK.xlsx.",
            "--pdf skriver ut rapporten den lager i en arbeidsbok: ta bort --no-write og "
            "oppgi en arbeidsbok, eller en database-URL med --into BOK.xlsx.")
    )  # fmt: skip


def _show(lang: str, figures: Figures, written: bool, printed: Path | None, as_json: bool) -> None:
    from crmbook.actions import report as action
    from crmbook.core.i18n import say
    from crmbook.core.report_json import to_json

    if as_json:
        shown = to_json(figures)
        if printed is not None:
            shown["pdf"] = str(printed)
        click.echo(json.dumps(shown, ensure_ascii=False))
        return
    click.echo(action.summary(figures, lang, written=written))
    if printed is not None:
        click.echo(say(lang, "PDF: {p}", "PDF: {p}", p=printed))


def _print(book: Path, lang: str) -> Path:
    """The Report as a PDF beside the workbook: 'crmbook report.pdf' / 'crmbook rapport.pdf'."""
    from crmbook.book.report_pdf import report_pdf
    from crmbook.core.i18n import say

    name = say(lang, "{s} report.pdf", "{s} rapport.pdf", s=book.stem)
    return report_pdf(book, book.with_name(name), lang)
