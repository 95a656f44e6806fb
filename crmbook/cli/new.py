"""``crmbook new``: build an empty register, or a demo one (SPEC §1, §2)."""

from __future__ import annotations

from pathlib import Path

import click

from crmbook.cli import main
from crmbook.core.i18n import plural, say

#: Purchases take about three rows per customer: more would pass Excel's 1,048,576 rows.
MAX_DEMO = 200_000


@main.command("new")
@click.argument("book", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="Language of sheet names, headers and lists.")  # fmt: skip
@click.option("--demo", "demo", type=click.IntRange(min=0, max=MAX_DEMO), default=0, metavar="N",
              help="Add N fictional customers, with purchases and a past campaign.")  # fmt: skip
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed of the demo data: the same seed gives the same register.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace BOOK if it exists.")
def new(book: Path, lang: str, demo: int, seed: int, force: bool) -> None:
    """Create the register workbook BOOK (.xlsx) with every sheet, list and dropdown."""
    from crmbook.book.builder import create  # openpyxl only when a workbook is built

    path = create(book, lang=lang, demo=demo, seed=seed, force=force)
    what = plural(lang, demo, ("demo customer", "demo customers"), ("demokunde", "demokunder"))
    what = what if demo else ""
    click.echo(
        say(
            lang,
            "Created {path}{what}. Open it in Excel; the Start sheet explains each sheet.",
            "Laget {path}{what}. Åpne den i Excel; arket Start forklarer hvert ark.",
            path=path,
            what=f" ({what})" if what else "",
        )
    )
