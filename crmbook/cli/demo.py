"""``crmbook demo``: a fictional register, and every step run on it — the first thing to try."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from crmbook.cli import main

DEMO_CUSTOMERS = 200
DEMO_NAME = "crmbook-demo.xlsx"


@main.command("demo")
@click.argument(
    "folder",
    required=False,
    default="crmbook-demo",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True,
              help="Language of the demo workbook.")  # fmt: skip
def demo(folder: Path, lang: str) -> None:
    """Make a demo register in FOLDER (default ./crmbook-demo/) and run every step on it."""
    from crmbook.book.builder import create

    book = folder / DEMO_NAME
    if book.exists():
        kept = _set_aside(book)
        click.echo(f"The previous demo workbook was moved to {kept}.")
    create(book, lang=lang, demo=DEMO_CUSTOMERS, seed=1)
    click.echo(f"1. Built {book} with {DEMO_CUSTOMERS} fictional customers (crmbook new --demo).")
    for number, step in enumerate(_steps(), start=2):
        step(book, number)
    click.echo(f"Done. Open {book} in Excel or LibreOffice to see the results.")


def _set_aside(book: Path) -> Path:
    """Move an earlier demo workbook into backups/ instead of overwriting what a user changed."""
    backups = book.parent / "backups"
    backups.mkdir(exist_ok=True)
    target = backups / f"{book.stem}-previous{book.suffix}"
    shutil.move(book, target)
    return target


def _steps() -> list:
    """The demo steps that exist, in the order a user would take them."""
    return []
