"""The ``crmbook`` command line: parse, call one action, print, exit (SPEC §2).

Each command lives in its own module and registers itself on ``main`` when that module is
imported, which happens only when the command runs: ``crmbook --help`` imports no command
module and so no pandas (0.7 s -> well under SPEC §5's 0.25 s). Errors are translated to
messages and exit codes here, in one place.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import json
from collections.abc import Sequence
from typing import Any

import click

from crmbook import __version__
from crmbook.errors import CrmbookError

#: Command -> (module under crmbook.cli that defines it, its line in ``crmbook --help``);
#: tests/test_cli.py keeps each line equal to the command's own first sentence.
COMMANDS: dict[str, tuple[str, str]] = {
    "addin": ("addin", "Build and install the Excel add-in that gives Excel its CRM ribbon tab."),
    "customer": (
        "importing",
        "One customer's personal data (GDPR): export it, or erase it from the register.",
    ),
    "db": ("db", "Keep the register in a shared database (PostgreSQL, or SQLite on one PC)."),
    "demo": (
        "demo",
        "Make a demo register in FOLDER (default ./crmbook-demo/) and run every step on it.",
    ),
    "enrich": (
        "enrich",
        "Fill company facts of BOOK's customers from the Brønnøysund registers by org number.",
    ),
    "import": (
        "importing",
        "Merge another department's register OTHER_BOOK into BOOK (OTHER_BOOK is only read).",
    ),
    "import-saft": (
        "saft",
        "Import customers and sales invoices from the accounting system's SAF-T FILE into BOOK.",
    ),
    "letters": (
        "letters",
        "Make a letter for every customer of a selection, on the letterhead, and log them.",
    ),
    "new": (
        "new",
        "Create the register workbook BOOK (.xlsx) with every sheet, list and dropdown.",
    ),
    "report": (
        "report",
        "Fill the Report sheet of BOOK with key figures and charts (rebuilt on every run).",
    ),
    "select": (
        "select",
        "Compute the selection NAME of BOOK and write its customers to the Recipients sheet.",
    ),
    "validate": (
        "validate",
        "Check every entry of BOOK; list the issues on the Issues sheet and mark their cells.",
    ),
}


#: Collect after 50,000 new objects, not 700 (Python's default); older generations as usual.
_GC_THRESHOLD = (50_000, 20, 10)


class _Group(click.Group):
    """A click group that loads a command's module when the command runs, and turns crmbook's
    errors into a message and SPEC §2's exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"crmbook.cli.{COMMANDS[cmd_name][0]}")
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from ``COMMANDS``, shortened as click does, without importing."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, _shortened(COMMANDS[name][1], limit)) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        """Run a command. As the program itself (arguments from the command line, not a test
        calling ``main([...])``), Python's garbage collector runs seldom (a register read makes
        hundreds of thousands of objects, each young-generation pass would walk them: 0.08 s
        of 2,000 letters) and its last collection is skipped at exit: it would walk every
        object the command made (0.15 s) only to free memory the ending process gives back."""
        if args is None:
            gc.set_threshold(*_GC_THRESHOLD)
            atexit.register(gc.freeze)
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        as_json = "--json" in ctx.args
        try:
            return super().invoke(ctx)
        except CrmbookError as exc:
            click.echo(f"crmbook: {exc}", err=True)
            if as_json:  # a program reading stdout still gets one JSON object (SPEC §2)
                error = {"error": str(exc), "exit_code": exc.exit_code}
                click.echo(json.dumps(error, ensure_ascii=False))
            ctx.exit(exc.exit_code)


def _shortened(text: str, limit: int) -> str:
    """``text`` cut at a word to fit ``limit`` characters with "...", as click shows help."""
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crmbook")
def main() -> None:
    """crmbook: the customer register in your Excel workbook, made into a CRM.

    Every command works on a closed .xlsx file; in Excel, the CRM ribbon tab runs the same steps.
    """
