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
