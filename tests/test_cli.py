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
