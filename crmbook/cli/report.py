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
def report(book: str, as_json: bool, no_write: bool) -> None:
    """Fill the Report sheet of BOOK with key figures and charts (rebuilt on every run).

    BOOK may be a database URL: the figures of the shared register are then printed only.
    """
    from crmbook.actions import report as action
    from crmbook.book.filebook import FileBook
    from crmbook.core.report_json import to_json
    from crmbook.db.connect import is_url
    from crmbook.db.view import DbView

    workbook = DbView(book) if is_url(book) else FileBook(Path(book))
    no_write = no_write or is_url(book)
    with workbook.writing(not no_write):
        register, figures = action.run(workbook, dt.date.today(), write=not no_write)
    if as_json:
        click.echo(json.dumps(to_json(figures), ensure_ascii=False))
        return
    click.echo(action.summary(figures, register.lang, written=not no_write))
