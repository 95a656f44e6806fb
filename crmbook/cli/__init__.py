"""The ``crmbook`` command line: parse, call one action, print, exit (SPEC §2).

Each command lives in its own module and registers itself on ``main``; errors are translated
to messages and exit codes here, in one place.
"""

from __future__ import annotations

import json

import click

from crmbook import __version__
from crmbook.errors import CrmbookError


class _Group(click.Group):
    """A click group that turns crmbook's errors into a message and SPEC §2's exit codes."""

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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crmbook")
def main() -> None:
    """crmbook: the customer register in your Excel workbook, made into a CRM.

    Every command works on a closed .xlsx file; in Excel, the CRM ribbon tab runs the same steps.
    """


def _register() -> None:
    from crmbook.cli import addin, demo, importing, letters, new, report, select, validate  # noqa: F401 - importing registers the commands


_register()
