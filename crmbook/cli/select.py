"""``crmbook select``: compute a saved selection, show its funnel, fill Recipients (SPEC §2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crmbook.book import prefetch
from crmbook.cli import main

if TYPE_CHECKING:
    from crmbook.core.selection import Explanation


@main.command("select")
@click.argument("book")
@click.option("--selection", "name", required=True, metavar="NAME",
              help="Name of a selection on the Selections (Utvalg) sheet.")  # fmt: skip
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: selection, count, customer_ids, funnel.",
)
@click.option("--no-write", is_flag=True, help="Compute and print only; leave the workbook as is.")
@click.option("--explain", "customer_id", type=int, metavar="CUSTOMER_ID",
              help="Say which criteria keep this customer out (writes nothing).")  # fmt: skip
@click.option("--into", "into", metavar="BOOK.xlsx", help="With a database URL: write the "
              "customers and the funnel to this workbook's Recipients sheet.",
              type=click.Path(dir_okay=False, exists=True, path_type=Path))  # fmt: skip
def select(
    book: str, name: str, as_json: bool, no_write: bool, customer_id: int | None,
    into: Path | None,
) -> None:  # fmt: skip
    """Compute the selection NAME of BOOK and write its customers to the Recipients sheet.

    BOOK may be a database URL (postgresql://HOST/DB, sqlite:///FILE.db): the selection is
    then computed by the database and printed, or written into a workbook with --into.
    """
    with prefetch.reading(book):  # before the imports below: the parse runs beside them
        from crmbook.actions import select as action
        from crmbook.book.filebook import FileBook
        from crmbook.cli.db import check_into
        from crmbook.db.connect import is_url
        from crmbook.db.view import DbView

        check_into(book, into, no_write or customer_id is not None)
        if customer_id is not None:
            register = (DbView(book, narrow=True) if is_url(book) else FileBook(Path(book))).read()
            _print_explanation(action.explain(register, name, customer_id), register.lang, as_json)
            return
        if is_url(book):
            from crmbook.actions.db_results import select as on_db

            selected = on_db(book, name, into)
        else:
            workbook = FileBook(Path(book))
            with workbook.writing(not no_write):
                selected = action.run(workbook, action.Request(name, write=not no_write))
        if as_json:
            click.echo(json.dumps(selected.result.to_json(), ensure_ascii=False))
            return
        funnel = selected.result.funnel
        width = max(len(step.criterion) for step in funnel)
        for step in funnel:
            click.echo(f"{step.criterion.ljust(width)}  {step.remaining:>7}")
        click.echo(selected.message())


def _print_explanation(explanation: Explanation, lang: str, as_json: bool) -> None:
    if not as_json:
        click.echo("\n".join(explanation.lines(lang)))
        return
    data = _explanation_json(explanation)
    if explanation.duplicates:  # several rows share the ID: each is explained
        data["duplicates"] = [_explanation_json(e) for e in explanation.duplicates]
    click.echo(json.dumps(data, ensure_ascii=False))


def _explanation_json(explanation: Explanation) -> dict[str, object]:
    return {
        "selection": explanation.selection,
        "customer_id": explanation.customer_id,
        "row": explanation.row,
        "selected": explanation.selected,
        "reserved": explanation.reserved,
        "groups": [{"group": g.group, "failed": list(g.failed)} for g in explanation.groups],
    }
