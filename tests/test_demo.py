"""The first thing a new user runs: `crmbook demo` makes a register and runs every step on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_demo_runs_every_step(tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", str(folder), "--lang", lang])
    assert result.exit_code == 0, result.output
    wrote = "Skrev 30 brev (crmbook letters)" if lang == "nb" else "Wrote 30 letters (crmbook"
    assert wrote in result.output  # the noun once, in the right number
    book = folder / "crmbook-demo.xlsx"
    reg = read_register(book, [*s.DATA_SHEETS, s.RECIPIENTS, s.ISSUES, s.LOG])
    issues = reg.frame(s.ISSUES)
    assert len(issues) >= 5, "the demo's deliberate mistakes are listed on the Issues sheet"
    recipients = reg.frame(s.RECIPIENTS)
    assert len(recipients) > 0
    campaign = "Konferansetilbud" if lang == "nb" else "Conference offer"
    logged = reg.frame(s.MAILINGS)
    logged = logged[logged["Campaign"] == campaign]
    assert sorted(logged["Customer ID"]) == sorted(recipients["Customer ID"])
    first = recipients.iloc[0]
    (letter,) = (folder / "letters" / campaign).glob(f"{int(first['Customer ID'])} *.docx")
    text = "\n".join(p.text for p in Document(str(letter)).paragraphs)
    assert first["Company"] in text
    assert f"{len(recipients)} " in result.output
    assert len(reg.frame(s.CUSTOMERS)) > 200, "the second department's customers came in"
    assert len(reg.frame(s.LOG)) == 3, "the import, the SAF-T import and enrich are logged"
    purchases = reg.frame(s.PURCHASES)
    saft = purchases["Note"].astype(str).str.startswith("SAF-T ")
    assert saft.sum() >= 30, "every invoice of the demo SAF-T file has a Purchases row"
    assert "SAF-T" in result.output and "Brønnøysund" in result.output
    report = CliRunner().invoke(main, ["report", str(book), "--json", "--no-write"])
    total = json.loads(report.output)["summary"]["purchases_total_nok"]
    amounts = purchases["Amount (NOK)"].astype(float)
    assert total == round(amounts.sum()) and amounts[saft].sum() > 0, "the Report counts them"
    assert (folder / "enheter_alle.json").exists() and (folder / "regnskap.json").exists()
    customers = reg.frame(s.CUSTOMERS)
    assert customers["Industry code"].notna().sum() >= 200


def test_demo_again_keeps_the_previous_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    runner = CliRunner()
    assert runner.invoke(main, ["demo", str(folder), "--lang", "en"]).exit_code == 0
    again = runner.invoke(main, ["demo", str(folder), "--lang", "en"])
    assert again.exit_code == 0, again.output
    moved = again.output.split("moved to ")[1].split(".xlsx")[0] + ".xlsx"
    assert Path(moved).exists()
    assert read_register(moved).frame(s.CUSTOMERS).shape[0] >= 200
