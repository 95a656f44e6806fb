"""The command line's shared behaviour: errors become messages, exit codes and JSON (SPEC §2)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crmbook.cli import main


def test_json_callers_get_a_json_error_object(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "missing.xlsx"), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert "missing.xlsx" in error["error"] and error["exit_code"] == 2


def test_help_lines_are_the_commands_own_first_sentences() -> None:
    from crmbook.cli import COMMANDS

    ctx = main.make_context("crmbook", ["--help"], resilient_parsing=True)
    for name, (module, line) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.callback is not None, name
        assert command.callback.__module__ == f"crmbook.cli.{module}"
        assert command.get_short_help_str(limit=1000) == line


def test_help_starts_at_once_without_the_heavy_libraries() -> None:
    """SPEC §5: `crmbook --help` within 0.25 s: it must not pay for pandas or the file libraries."""
    import subprocess
    import sys

    probe = (
        "import sys; from crmbook.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'pandas', 'numpy', 'openpyxl', 'python_calamine', 'lxml', 'docxtpl', 'xlwings'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "Commands:" in out.stdout
    assert out.stderr.strip() == "[]"


def test_the_program_keeps_every_exit_code(tmp_path) -> None:
    """The program ends its process quickly (see below) but still says how the command ended."""
    import subprocess
    import sys

    def code(*args: str) -> int:
        done = subprocess.run([sys.executable, "-m", "crmbook", *args], capture_output=True)
        return done.returncode

    assert code("--version") == 0
    assert code("validate", str(tmp_path / "missing.xlsx")) == 2  # SPEC §2: the book is unreadable
    assert code("no-such-command") == 2  # click's usage error


def test_the_program_collects_seldom_and_not_at_exit_and_a_test_run_leaves_gc_alone() -> None:
    """Run as the program, crmbook collects garbage seldom and freezes its objects at exit, so
    Python's final collection does not walk them all (0.15 s after 2,000 letters); called
    in-process by a test, the collector is left as it was."""
    import gc
    import subprocess
    import sys

    from click.testing import CliRunner

    from crmbook.cli import main

    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, gc.get_threshold()))\n"
        "from crmbook.cli import main\n"
        "sys.argv = ['crmbook', '--version']\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "crmbook" in out.stdout and "frozen True (50000, 20, 10)" in out.stdout
    before = gc.get_freeze_count(), gc.get_threshold()
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0
    assert (gc.get_freeze_count(), gc.get_threshold()) == before
