"""``crmbook import`` and ``crmbook customer export|erase`` (SPEC §2; docs/import.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crmbook.cli import main
from crmbook.core.checks.base import json_value
from crmbook.core.i18n import plural, say

if TYPE_CHECKING:
    from crmbook.actions.importing import ImportResult

BookPath = click.Path(dir_okay=False, path_type=Path)


@main.command("import")
@click.argument("book", type=BookPath)
@click.argument("other_book", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--apply", "apply_", is_flag=True,
              help="Carry out the plan on the Import sheet as chosen (keep/take).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def import_(book: Path, other_book: Path, apply_: bool, as_json: bool) -> None:
    """Merge another department's register OTHER_BOOK into BOOK (OTHER_BOOK is only read).

    Without --apply, writes the plan to the Import sheet: new customers; changed fields and
    mailing responses, the other book's extra columns and customers erased here or there, each
    with a Choice (keep/take); customers only here, rejected and ambiguous rows. Set them, then
    run again with --apply: a Choice that is not keep/take (behold/ta) refuses the apply (exit 1,
    nothing written); every apply is recorded on the Log sheet.
    """
    from crmbook.actions.importing import import_book

    result = import_book(book, other_book, apply=apply_)
    lang = result.plan.lang
    if as_json:
        click.echo(json.dumps(_json(result), ensure_ascii=False))
        return
    click.echo(result.summary())
    if result.stale:
        click.echo(say(lang,
            "{n} on the Import sheet no longer fit the books and were left at keep.",
            "{n} i arket Import passer ikke lenger med bøkene og ble stående som behold.",
            n=plural(lang, result.stale, ("choice", "choices"), ("valg", "valg"))))  # fmt: skip
    if not result.applied:
        click.echo(say(lang,
            "Plan written to the Import sheet. Set Choice to take where the other book is right, "
            "then run again with --apply.",
            "Planen er skrevet til arket Import. Sett Valg til ta der den andre boka har rett, og "
            "kjør på nytt med --apply.",))  # fmt: skip
    else:
        click.echo(result.outcome())


def _json(result: ImportResult) -> dict[str, object]:
    plan = result.plan
    return {
        "source": plan.source,
        "applied": result.applied,
        **result.counts(),
        "new_customers": [{"other_row": n.other_row, "customer_id": n.customer_id,
                           "company": n.record.get("Company")} for n in plan.new],
        "changed_fields": [{"customer_id": c.customer_id, "sheet": c.sheet, "field": c.field,
                     "this": json_value(c.here), "other": json_value(c.other),
                     "choice": plan.choices.get(c.key, c.choice)} for c in plan.changes],
        "extra_columns": [{"sheet": c.sheet, "header": c.header, "values": len(c.values),
                           "column": c.letter, "choice": plan.chosen(c.key, "keep")}
                          for c in plan.columns],
        "erased_customers": [{"other_row": n.other_row, "erased_on": json_value(
            n.erased.date if n.erased else None), "choice": plan.chosen(n.key, "keep")}
            for n in plan.erased],
        "rejected_rows": [{"sheet": p.sheet, "row": p.row, "company": p.company,
                      "reasons": [m for _, m in p.reasons]} for p in plan.rejected],
        "ambiguous_rows": [{"row": p.row, "company": p.company,
                       "reasons": [m for _, m in p.reasons]} for p in plan.ambiguous],
    }  # fmt: skip


@main.group("customer")
def customer() -> None:
    """One customer's personal data (GDPR): export it, or erase it from the register."""


@customer.command("export")
@click.argument("book", type=BookPath)
@click.argument("customer_id", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The JSON file to write (default: beside BOOK).")  # fmt: skip
def export(book: Path, customer_id: int, out: Path | None) -> None:
    """Write everything BOOK holds on CUSTOMER_ID to a JSON file (right of access)."""
    from crmbook.actions.customer import export_file
    from crmbook.book.filebook import FileBook

    target = export_file(FileBook(book), book, customer_id, dt.date.today(), out)
    click.echo(str(target))


@customer.command("erase")
@click.argument("book")
@click.argument("customer_id", type=int)
@click.option("--yes", is_flag=True, help="On a database URL: erase without asking first.")
def erase(book: str, customer_id: int, yes: bool) -> None:
    """Remove CUSTOMER_ID from Customers, Purchases, Mailings, Recipients (and Issues, Import),
    rebuild the Report without them, leaving an anonymous row on the Log sheet. Files that
    still hold the customer (letters, PDFs, combined print files, manifests, earlier exports)
    are listed, never deleted.

    BOOK may be a database URL (postgresql://HOST/DB, sqlite:///FILE.db): the customer, their
    purchases, mailings and the log lines naming them are deleted in one transaction, after a
    question (--yes skips it), and a tombstone stays; workbooks learn of it at their next sync.
    """
    from crmbook.db.connect import is_url

    if is_url(book):
        _erase_in_database(book, customer_id, yes)
        return
    from crmbook.actions.importing import erase_customer
    from crmbook.book.filebook import FileBook

    workbook = FileBook(Path(book))
    with workbook.writing():
        erased = erase_customer(workbook, customer_id)
    lang = erased.lang
    rows = plural(lang, erased.rows, ("row", "rows"), ("rad", "rader"))
    click.echo(say(lang, "Customer {id} erased from {n}.", "Kunde {id} slettet fra {n}.",
                   id=customer_id, n=rows))  # fmt: skip
    if erased.report:
        click.echo(say(lang, "The Report sheet was rebuilt without the customer.",
                       "Arket Rapport er laget på nytt uten kunden."))  # fmt: skip
    if erased.files:
        click.echo(say(lang,
            "These files still hold the customer's data; crmbook does not delete files, so "
            "delete them yourself (or remove the customer's pages from the combined files):",
            "Disse filene har fortsatt kundens data; crmbook sletter ikke filer, så slett dem "
            "selv (eller fjern kundens sider fra fellesfilene):"))  # fmt: skip
    for path in erased.files:
        click.echo(f"  {path}")
    click.echo(say(lang,
        "Backups in the backups folder still hold the customer until they are replaced; delete "
        "them if the erasure must be immediate.",
        "Sikkerhetskopiene i mappen backups har fortsatt kunden til de blir erstattet; slett dem "
        "om slettingen må skje straks."))  # fmt: skip


def _erase_in_database(url: str, customer_id: int, yes: bool) -> None:
    """Name the customer and what goes with them, ask (unless --yes), then erase."""
    from crmbook.actions.db_erasures import erase_in, find
    from crmbook.db.connect import shown_url
    from crmbook.errors import RefusedError

    found = find(url, customer_id)
    lang, where = found.lang, shown_url(url)
    who = f"{customer_id} {found.company}" if found.company else str(customer_id)
    rows = _rows(lang, found.purchases, found.mailings)
    question = say(lang,
        "Erase customer {who} from {url}, with {rows}? This cannot be undone.",
        "Slette kunde {who} fra {url}, med {rows}? Dette kan ikke angres.",
        who=who, url=where, rows=rows)  # fmt: skip
    if not yes and not click.confirm(question, default=False):
        raise RefusedError(say(lang, "Nothing was erased.", "Ingenting ble slettet."))
    deleted = erase_in(url, customer_id, dt.date.today())
    log = plural(lang, deleted.log, ("log line", "log lines"), ("logglinje", "logglinjer"))
    click.echo(say(lang,
        "Customer {who} erased from the database ({rows}, {log} deleted); a tombstone stops a "
        "push or sync from adding them again. Workbooks that hold them lose them at their next "
        "sync (or show them on the Import sheet when they were edited there).",
        "Kunde {who} slettet fra databasen ({rows}, {log} slettet); en gravstein hindrer at en "
        "lasting eller synk legger kunden inn igjen. Arbeidsbøker som har kunden, mister den "
        "ved neste synk (eller viser den i arket Import når den er endret der).",
        who=who, rows=_rows(lang, deleted.purchases, deleted.mailings), log=log))  # fmt: skip


def _rows(lang: str, purchases: int, mailings: int) -> str:
    bought = plural(lang, purchases, ("purchase", "purchases"), ("kjøp", "kjøp"))
    sent = plural(lang, mailings, ("mailing", "mailings"), ("utsendelse", "utsendelser"))
    return f"{bought}, {sent}"
