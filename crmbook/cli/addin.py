"""``crmbook addin build OUT.xlam | install | uninstall | status``: the Excel ribbon add-in."""

from __future__ import annotations

from pathlib import Path

import click

from crmbook.cli import main


@main.group()
def addin() -> None:
    """Build and install the Excel add-in that gives Excel its CRM ribbon tab."""


@addin.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--python", "python", metavar="PATH",
              help="The Python the add-in runs (default: this one). For IT: the full path of "
                   "one shared interpreter with crmbook, as it is on the users' PCs; it may "
                   r"start with an environment variable (%LOCALAPPDATA%\...).")  # fmt: skip
def build(out: Path, python: str | None) -> None:
    """Write the add-in to OUT, set to run this Python (or --python PATH).

    OUT must end in .xlam (Excel loads an add-in only under that extension); any other name is
    a usage error (exit 2) and nothing is written. The add-in is built on the installed
    xlwings' add-in template; an xlwings whose template lacks what crmbook needs is refused
    (exit 1).
    """
    import sys

    from crmbook.addin.build import build_addin

    if out.suffix.lower() != ".xlam":
        raise click.BadParameter(
            f"{out.name}: an Excel add-in must end in .xlam (e.g. crmbook.xlam).", param_hint="OUT"
        )
    click.echo(f"Add-in written: {build_addin(out, python or sys.executable)}")
    if python:
        click.echo(f"It runs {python}: crmbook and xlwings must be installed in that Python.")


@addin.command()
def install() -> None:
    """Build the add-in into Excel's start-up folder (Windows and macOS)."""
    from crmbook.addin import install as inst

    path = inst.install()
    click.echo(f"Add-in installed: {path}")
    click.echo("Restart Excel: the CRM tab appears on the ribbon.")


@addin.command()
def uninstall() -> None:
    """Remove the add-in from Excel's start-up folder."""
    from crmbook.addin import install as inst

    removed = inst.uninstall()
    click.echo(f"Add-in removed: {removed}" if removed else "The add-in was not installed.")


@addin.command()
def status() -> None:
    """Is the add-in installed, built for this xlwings, and set to run this Python?"""
    from crmbook.addin import install as inst

    found = inst.status()
    click.echo(
        f"Add-in:   {found.path or '-'} ({'installed' if found.installed else 'not installed'})"
    )
    click.echo(f"Python:   {found.python}  (xlwings {found.xlwings})")
    if found.settings:
        click.echo(f"Built with xlwings {found.settings.get('CRMBOOK_XLWINGS_VERSION', '?')}")
    for problem in found.problems:
        click.echo(f"Problem:  {problem}")
    if not found.problems:
        click.echo("All set.")
    click.get_current_context().exit(1 if found.problems else 0)
