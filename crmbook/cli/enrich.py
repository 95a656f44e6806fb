"""``crmbook enrich``: company facts from the Brønnøysund register (docs/saft.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crmbook.cli import main
from crmbook.core.checks.base import json_value
from crmbook.core.i18n import say

if TYPE_CHECKING:
    from crmbook.actions.enrich import EnrichResult


@main.command("enrich")
@click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "source", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Enhetsregisteret's downloaded file of enheter (JSON or CSV, may be .gz) "
                   "instead of the open API.")  # fmt: skip
@click.option("--accounts", "accounts", type=click.Path(dir_okay=False, exists=True,
              path_type=Path), help="Regnskapsregisteret's statements saved as a JSON array "
              "(may be .gz): turnover from this file instead of the open API.")  # fmt: skip
@click.option("--no-accounts", is_flag=True,
              help="Leave turnover alone: do not ask Regnskapsregisteret.")  # fmt: skip
@click.option("--apply", "apply_", is_flag=True,
              help="Carry out the plan on the Import sheet as chosen (keep/take).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def enrich(
    book: Path, source: Path | None, accounts: Path | None, no_accounts: bool, apply_: bool,
    as_json: bool,
) -> None:  # fmt: skip
    """Fill company facts of BOOK's customers from the Brønnøysund registers by org number.

    From Enhetsregisteret: name, address, industry with its NACE code and text, employees and
    their band, organisation form. From Regnskapsregisteret (the open API when --from is not
    given, else --accounts FILE): turnover, its band and the accounting year. Without --apply,
    writes the plan to the Import sheet: blanks to fill (take), differing values (keep), and a
    warning for every company that is deleted, bankrupt, being dissolved or not found.
    """
    from crmbook.actions.enrich import Accounts, enrich_book

    chosen = Accounts(api=source is None and not no_accounts and accounts is None,
                      file=None if no_accounts else accounts)  # fmt: skip
    result = enrich_book(book, source, accounts=chosen, apply=apply_)
    if as_json:
        click.echo(json.dumps(_json(result), ensure_ascii=False))
        return
    click.echo(result.summary())
    for f in result.enrich.flags:
        click.echo(f"  {f.customer_id} {f.company} ({f.org}): {f.message}")
    lang = result.lang
    if not result.applied:
        click.echo(say(lang,
            "Plan written to the Import sheet. Set Choice (keep/take), then run again with "
            "--apply.",
            "Planen er skrevet til arket Import. Sett Valg (behold/ta), og kjør på nytt med "
            "--apply."))  # fmt: skip
    else:
        click.echo(say(lang, "Done; recorded on the Log sheet.", "Utført; ført i arket Logg."))


def _json(result: EnrichResult) -> dict[str, object]:
    plan = result.enrich.plan
    changed = [
        {"customer_id": c.customer_id, "field": c.field, "this": json_value(c.here),
         "brreg": json_value(c.other), "choice": plan.choices.get(c.key, c.choice),
         "note": c.note}
        for c in plan.changes
    ]  # fmt: skip
    flags = [
        {"customer_id": f.customer_id, "company": f.company, "org_number": f.org,
         "message": f.message}
        for f in result.enrich.flags
    ]  # fmt: skip
    return {"source": plan.source, "applied": result.applied, **result.counts(),
            "changed_fields": changed, "flags": flags}  # fmt: skip
