"""``crmbook validate``: check every entry, list the issues, mark their cells (SPEC §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crmbook.book import prefetch
from crmbook.cli import main

if TYPE_CHECKING:
    from crmbook.core.validate import Validation

#: Issues printed one per line before the summary; the rest are on the Issues sheet / in --json.
SHOWN = 50


@main.command("validate")
@click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: errors, warnings, issues (and fixed).",
)
@click.option("--no-write", is_flag=True, help="Check and print only; leave the workbook as is.")
@click.option("--fix", is_flag=True,
              help="Also correct what has exactly one reading (spaces, list spellings, bands, "
                   "leading zeros, org number format) and list each change.")  # fmt: skip
def validate(book: Path, as_json: bool, no_write: bool, fix: bool) -> None:
    """Check every entry of BOOK; list the issues on the Issues sheet and mark their cells.

    Exit code 1 when there are errors.
    """
    with prefetch.reading(book):  # before the imports below: the parse runs beside them
        from crmbook.actions import validate as action
        from crmbook.book.filebook import FileBook

        workbook = FileBook(book)
        with workbook.writing(not no_write):
            result = action.run(workbook, fix=fix, write=not no_write)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print(result, written=not no_write)
    if result.errors:
        raise SystemExit(1)


def _print(result: Validation, *, written: bool) -> None:
    from crmbook.book import layout
    from crmbook.core import schema as s
    from crmbook.core.checks import Severity
    from crmbook.core.i18n import say
    from crmbook.core.validate import severity_label

    lang = result.lang
    for issue in result.issues[:SHOWN]:
        severity = severity_label(issue.severity, lang)
        if issue.severity is Severity.FIXED and not written:
            severity = say(lang, "To fix", "Rettes")  # --no-write: nothing was changed
        where = f"{issue.sheet}!{issue.column}{issue.row}"
        click.echo(f"{where:<16} {severity:<9} {issue.header or issue.field}: {issue.message}")
    if len(result.issues) > SHOWN:
        click.echo(
            say(
                lang,
                "… and {n} more (all of them: --json, or the {sheet} sheet).",
                "… og {n} til (alle: --json, eller arket {sheet}).",
                n=len(result.issues) - SHOWN,
                sheet=layout.sheet_name(s.ISSUES, lang),
            )
        )
    click.echo(result.summary())
    if written:
        sheet = layout.sheet_name(s.ISSUES, lang)
        click.echo(say(lang, "Written to the {s} sheet.", "Skrevet til arket {s}.", s=sheet))
