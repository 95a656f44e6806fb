"""The core stays pure: importing it loads no Excel, Word or file library (DESIGN.md)."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("xlwings", "openpyxl", "docxtpl", "docx", "python_calamine", "lxml")


def test_core_imports_no_excel_word_or_file_library() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import crmbook.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'crmbook.core.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(sorted(n for n in {FORBIDDEN!r} if n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_help_lists_every_command() -> None:
    from click.testing import CliRunner

    from crmbook.cli import main

    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    ctx = main.make_context("crmbook", ["--help"], resilient_parsing=True)
    names = main.list_commands(ctx)
    assert {"new", "validate", "select", "letters", "report", "import", "customer"} <= set(names)
    for name in names:
        command = main.get_command(ctx, name)
        assert command is not None, f"command {name} is listed but not defined"
        assert name in result.output
        assert command.help, f"command {name} has no help text"
