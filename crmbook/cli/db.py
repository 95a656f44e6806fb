"""``crmbook db``: the shared register in PostgreSQL or SQLite (docs/database.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crmbook.cli import main
from crmbook.core.i18n import say

BookPath = click.Path(dir_okay=False, path_type=Path)


@main.group("db")
def db() -> None:
    """Keep the register in a shared database (PostgreSQL, or SQLite on one PC).

    Each department's workbook is a view of it: pull fills the workbook, sync sends its edits
    back (a conflict waits on the Import sheet for keep/take). select and report also take a
    database URL in place of BOOK.
    """


@db.command("init")
@click.argument("url")
def init(url: str) -> None:
    """Create the register's tables in the database URL (or upgrade them)."""
    from crmbook.actions.db_push import init as action
    from crmbook.db.connect import shown_url

    applied = action(url)
    done = ", ".join(applied) if applied else "nothing to do, already current"
    click.echo(f"{shown_url(url)}: {done}")


@db.command("push")
@click.argument("book", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("url")
@click.option("--apply", "apply_", is_flag=True,
              help="Carry out the plan on the Import sheet as chosen (keep/take).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def push(book: Path, url: str, apply_: bool, as_json: bool) -> None:
    """Load BOOK's customers, purchases and mailings into the database, as import matches them.

    Without --apply, writes the plan to BOOK's Import sheet (This book = the database, Other
    book = BOOK); set Choice to take where BOOK is right, then run again with --apply.
    """
    from crmbook.actions.db_push import push as action
    from crmbook.book.filebook import FileBook

    workbook = FileBook(book)
    with workbook.writing():
        result = action(workbook, url, apply=apply_)
    if as_json:
        click.echo(json.dumps({"applied": result.applied, **result.counts()}))
        return
    click.echo(result.summary())
    lang = result.plan.lang
    if not result.applied:
        click.echo(say(lang,
            "Plan written to BOOK's Import sheet. Set Choice to take where BOOK is right, then "
            "run again with --apply.",
            "Planen er skrevet til arket Import i BOK. Sett Valg til ta der BOK har rett, og kjør "
            "på nytt med --apply."))  # fmt: skip
    else:
        click.echo(say(lang, "Loaded into the database; recorded in its log.",
                       "Lastet inn i databasen; ført i loggen der."))  # fmt: skip


@db.command("pull")
@click.argument("url")
@click.argument("book", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--department", metavar="NAME", help="Only this department's customers.")
def pull(url: str, book: Path, department: str | None) -> None:
    """Fill BOOK's data sheets from the database and remember the database in Settings."""
    from crmbook.actions.db_sync import pull as action
    from crmbook.book.filebook import FileBook

    workbook = FileBook(book)
    with workbook.writing():
        result = action(workbook, url, department)
    click.echo(say(result.lang, "{n} customers pulled into the workbook.",
                   "{n} kunder hentet til arbeidsboka.", n=result.customers))  # fmt: skip


@db.command("sync")
@click.argument("book", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def sync(book: Path, as_json: bool) -> None:
    """Send BOOK's edits to its database, then pull; conflicts go to the Import sheet."""
    from crmbook.actions.db_sync import sync as action
    from crmbook.book.filebook import FileBook

    workbook = FileBook(book)
    with workbook.writing():
        result = action(workbook)
    if as_json:
        sent = result.sent
        data = {
            "fields": result.fields,
            "customers_added": sent.customers,
            "purchases": sent.purchases,
            "mailings": sent.mailings,
            "responses": sent.responses,
            "settled": result.settled,
            "conflicts": result.conflicts,
            "customers": result.customers,
        }
        click.echo(json.dumps(data))
        return
    click.echo(result.summary())


def check_into(book: str, into: Path | None, printing_only: bool) -> None:
    """``--into`` takes a database's results into a workbook: refuse it on a workbook (which
    gets its own sheet) and together with options that only print."""
    from crmbook.book.filebook import book_lang
    from crmbook.db.connect import is_url

    if into is None:
        return
    lang = book_lang(into)
    if not is_url(book):
        raise click.UsageError(say(lang,
            "--into writes the results of a database URL into a workbook; on a workbook the "
            "results go to its own sheet: leave out --into.",
            "--into skriver resultatene fra en database-URL inn i en arbeidsbok; på en "
            "arbeidsbok havner resultatene på dens eget ark: ta bort --into."))  # fmt: skip
    if printing_only:
        raise click.UsageError(say(lang,
            "--into writes the results into BOOK.xlsx: leave out --no-write and --explain.",
            "--into skriver resultatene inn i BOK.xlsx: ta bort --no-write og --explain.",
        ))  # fmt: skip
