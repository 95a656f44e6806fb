"""`crmbook new` end to end through the command line, as a user types it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.demo import generate


def test_new_demo_register_then_refuse_then_force(tmp_path: Path) -> None:
    book = tmp_path / "kunder" / "register.xlsx"
    runner = CliRunner()
    made = runner.invoke(main, ["new", str(book), "--demo", "25", "--seed", "4"])
    assert made.exit_code == 0, made.output
    assert "25" in made.output and "register.xlsx" in made.output
    register = read_register(book)
    assert register.lang == "nb"
    assert len(register.frame(s.CUSTOMERS)) == 25
    before = book.read_bytes()

    refused = runner.invoke(main, ["new", str(book)])
    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert book.read_bytes() == before

    forced = runner.invoke(main, ["new", str(book), "--lang", "en", "--force"])
    assert forced.exit_code == 0, forced.output
    register = read_register(book)
    assert register.lang == "en"
    assert register.frame(s.CUSTOMERS).empty


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (["--lang", "de"], ["--demo", "-1"], ["--seed", "x"]):
        result = runner.invoke(main, ["new", str(tmp_path / "x.xlsx"), *args])
        assert result.exit_code == 2, (args, result.output)
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_validator_finds_exactly_the_planted_mistakes(tmp_path: Path, lang: str) -> None:
    book = tmp_path / "demo.xlsx"
    runner = CliRunner()
    made = runner.invoke(main, ["new", str(book), "--demo", "80", "--seed", "9", "--lang", lang])
    assert made.exit_code == 0, made.output
    result = runner.invoke(main, ["validate", str(book), "--json", "--no-write"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    found = {(issue["row"], issue["field"]) for issue in report["issues"]}
    planted = {(m.row, m.field) for m in generate(80, seed=9, lang=lang).mistakes}
    assert found == planted
    assert report["warnings"] == 0
