"""``crmbook import-saft``: customers and sales invoices from a SAF-T file (docs/saft.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crmbook.cli import main
from crmbook.core.i18n import say

if TYPE_CHECKING:
    from crmbook.actions.saft import SaftResult


@main.command("import-saft")
@click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--apply", "apply_", is_flag=True,
              help="Carry out the plan on the Import sheet as chosen (keep/take).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def import_saft(book: Path, file: Path, apply_: bool, as_json: bool) -> None:
    """Import customers and sales invoices from the accounting system's SAF-T FILE into BOOK.

    Without --apply, writes the plan to the Import sheet and the file's sales accounts to the
    Product mapping sheet. Choose keep/take and a product for each account, then run again
    with --apply. Invoice lines imported before are never added twice.
    """
    from crmbook.actions.importing import ImportResult
    from crmbook.actions.saft import import_saft as action

    with _Progress(file, enabled=sys.stderr.isatty() and not as_json) as progress:
        result = action(book, file, apply=apply_, progress=progress)
    lang = result.saft.plan.lang
    if as_json:
        click.echo(json.dumps(_json(result), ensure_ascii=False))
        return
    click.echo(result.summary())
    if result.stale:
        click.echo(say(lang,
            "{n} choices on the Import sheet no longer fit and were left at keep.",
            "{n} valg i arket Import passer ikke lenger og ble stående som behold.",
            n=result.stale))  # fmt: skip
    if not result.applied:
        click.echo(say(lang,
            "Plan written to the Import sheet. Set Choice (keep/take) there and a Product for "
            "each account on the Product mapping sheet, then run again with --apply.",
            "Planen er skrevet til arket Import. Sett Valg (behold/ta) der og et Produkt for "
            "hver konto i arket Produktkobling, og kjør på nytt med --apply."))  # fmt: skip
    else:
        click.echo(ImportResult(result.saft.plan, applied=True).outcome())


class _Progress:
    """A rich progress bar over the file's bytes, on a terminal only (else no callback)."""

    def __init__(self, file: Path, enabled: bool) -> None:
        self.total, self.enabled, self.bar = file.stat().st_size, enabled, None

    def __enter__(self) -> object:
        if not self.enabled:
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.start()
        task = self.bar.add_task("SAF-T", total=self.total)
        return lambda done: self.bar.update(task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _json(result: SaftResult) -> dict[str, object]:
    plan = result.saft.plan
    return {
        "source": plan.source,
        "applied": result.applied,
        "stale_choices": result.stale,
        "matched": plan.matched,
        "new": len(plan.new),
        "changes": len(plan.changes),
        "taken": len(plan.taken()),
        "rejected": len(plan.rejected),
        "ambiguous": len(plan.ambiguous),
        **result.saft.counts(),
        "unmapped_accounts": list(result.saft.unmapped),
        "new_accounts": [a for a, _ in result.saft.new_accounts],
    }
