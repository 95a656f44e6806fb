"""``crmbook report``: key figures on customers, purchases and responses, on the Report sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from crmbook.cli import main


@main.command("report")
@click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--no-write", is_flag=True, help="Compute and print only; leave the workbook as is.")
def report(book: Path, as_json: bool, no_write: bool) -> None:
    """Fill the Report sheet of BOOK with key figures and charts (rebuilt on every run)."""
    from crmbook.actions import report as action
    from crmbook.book.filebook import FileBook
    from crmbook.core.report_json import to_json

    workbook = FileBook(book)
    with workbook.writing(not no_write):
        register, figures = action.run(workbook, dt.date.today(), write=not no_write)
    if as_json:
        click.echo(json.dumps(to_json(figures), ensure_ascii=False))
        return
    click.echo(action.summary(figures, register.lang, written=not no_write))
