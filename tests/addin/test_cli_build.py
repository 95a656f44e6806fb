"""`crmbook addin build OUT`: the name must end in .xlam, or nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.cli import main


@pytest.mark.parametrize("name", ["a.xlsam", "a.xlsx", "crmbook", "a.xlam.zip"])
def test_a_name_without_the_xlam_extension_is_a_usage_error(tmp_path: Path, name: str) -> None:
    done = CliRunner().invoke(main, ["addin", "build", str(tmp_path / name)])
    assert done.exit_code == 2 and "must end in .xlam" in done.output
    assert list(tmp_path.iterdir()) == []


def test_the_help_says_what_out_must_be() -> None:
    done = CliRunner().invoke(main, ["addin", "build", "--help"])
    assert done.exit_code == 0 and ".xlam" in done.output and "usage error" in done.output


def test_it_builds_for_a_shared_python(tmp_path: Path) -> None:
    from crmbook.addin.build import read_settings

    shared = "\\\\server\\crmbook\\python.exe"
    done = CliRunner().invoke(
        main, ["addin", "build", str(tmp_path / "crm.xlam"), "--python", shared]
    )
    assert done.exit_code == 0, done.output
    assert read_settings(tmp_path / "crm.xlam")["Interpreter_Win"] == shared
    assert shared in done.output


def test_a_relative_python_is_a_usage_error(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["addin", "build", str(tmp_path / "a.xlam"), "--python", "py"])
    assert done.exit_code == 2 and "full path" in done.output
    assert list(tmp_path.iterdir()) == []
