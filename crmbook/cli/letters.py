"""``crmbook letters``: letters for a selection, a combined print file, PDF, and the log."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from crmbook.book import prefetch
from crmbook.cli import main
from crmbook.core.i18n import plural, say


@main.command("letters")
@click.argument("book")
@click.option(
    "--selection", required=True, metavar="NAME", help="Selection on the Selections sheet."
)
@click.option(
    "--template",
    required=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A .docx template (relative paths also look in the Template folder).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Output folder (default: the Output folder setting).",
)
@click.option("--campaign", metavar="NAME", help="Campaign name (default: the selection's).")
@click.option("--pdf", "as_pdf", is_flag=True, help="Also make PDFs with LibreOffice.")
@click.option("--preview", is_flag=True, help="Make the first letter only; log nothing.")
@click.option("--overwrite", is_flag=True, help="Replace letters made before.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: campaign, letters, files, combined, pdf, skipped.",
)
def letters(
    book: str,
    selection: str,
    template: Path,
    out: Path | None,
    campaign: str | None,
    as_pdf: bool,
    preview: bool,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Make a letter for every customer of a selection, on the letterhead, and log them.

    BOOK may be a database URL (postgresql://HOST/DB, sqlite:///FILE.db): the register is read
    from the database and the letters are logged there (the role needs INSERT on mailings;
    relative paths in its Settings are taken from the folder the command runs in).
    """
    with prefetch.reading(book):  # before the imports below: the parse runs beside them
        from crmbook.actions.letters import Request, make_letters
        from crmbook.book.filebook import FileBook
        from crmbook.db.connect import is_url

        req = Request(selection, template, out, campaign, as_pdf, preview, overwrite)
        if is_url(book):
            from crmbook.db.sending import DbSending

            workbook: FileBook | DbSending = DbSending(book)
            place = workbook.place
        else:
            workbook = FileBook(Path(book))
            place = Path(book)
        with (
            workbook.writing(not preview),
            _progress(enabled=not as_json and sys.stderr.isatty()) as progress,
        ):
            result = make_letters(workbook, place, req, dt.date.today(), progress)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    lang = result.lang
    if result.resumed:
        click.echo(say(lang,
            "{n} that a stopped run left in {d}: now logged on the Mailings sheet.",
            "{n} som en avbrutt kjøring la igjen i {d}, er nå ført i arket Utsendelser.",
            n=plural(lang, result.resumed, ("letter", "letters"), ("brev", "brev")),
            d=result.folder))  # fmt: skip
    for k in result.skipped:
        click.echo(f"  - {k.customer_id} {k.company}: {k.reason}")
    click.echo(
        say(
            lang,
            "{n} in {d}",
            "{n} i {d}",
            d=result.folder,
            n=plural(lang, len(result.files), ("letter", "letters"), ("brev", "brev")),
        )
    )


class _progress:
    """A rich progress bar on a terminal; nothing when output is piped or JSON."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import Progress

        self._bar = Progress(transient=True)
        self._bar.start()
        self._task = self._bar.add_task("letters", total=None)
        return self._update

    def _update(self, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
