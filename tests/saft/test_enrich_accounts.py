"""Turnover from Regnskapsregisteret through `crmbook enrich`, against the local server's
recorded answers (tests/saft/brreg/regnskap.json, written from the register's published
format): the company's latest own accounts with their year, none (404), an answer that is not
JSON, a register that does not answer in time, and --no-accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.enrich import Accounts, enrich_book
from crmbook.book import accounts_source
from crmbook.book.brreg_source import BrregError
from crmbook.cli import main
from crmbook.core import annual_accounts, typed


def _changes(result: object, customer: dict) -> dict:
    cid = typed.integer(customer["Customer ID"])
    return {c.field: c for c in result.enrich.plan.changes if c.customer_id == cid}  # type: ignore[attr-defined]


def test_latest_company_accounts_with_their_year(server: tuple) -> None:
    book, recorded = server
    result = enrich_book(book)
    asked = [r for r in recorded.requests if r.startswith("/regnskap/")]
    assert sorted(asked) == sorted(f"/regnskap/{o}" for o in recorded.org[:2])  # found only
    first = _changes(result, recorded.customers[0])
    assert first["Turnover (NOK)"].other == 655123456  # SELSKAP 2024, not KONSERN nor 2023
    assert first["Turnover band"].other == "≥500 M"
    assert first["Turnover year"].other == 2024
    assert first["Turnover (NOK)"].note == "Regnskapsregisteret, årsregnskap 2024"
    assert not set(annual_accounts.FIELDS) & set(_changes(result, recorded.customers[1]))  # 404


def test_an_answer_that_is_not_json_flags_that_company_only(server: tuple) -> None:
    book, recorded = server
    recorded.accounts[recorded.org[0]] = (200, b"<html>Service Unavailable</html>")
    result = enrich_book(book)
    first = _changes(result, recorded.customers[0])
    assert not set(annual_accounts.FIELDS) & set(first)
    assert "Employees" in first or "Address" in first  # Enhetsregisteret's facts still come
    messages = {f.org: f.message for f in result.enrich.flags}
    assert "Regnskapsregisteret" in messages[recorded.org[0]]


def test_a_register_that_does_not_answer_in_time(
    server: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    book, recorded = server
    recorded.delay = 1.0
    monkeypatch.setattr(accounts_source, "TIMEOUT", 0.2)
    before = book.read_bytes()
    with pytest.raises(BrregError, match=r"Regnskapsregisteret.*--no-accounts"):
        enrich_book(book)
    assert book.read_bytes() == before


def test_the_register_failing_is_said_and_nothing_written(server: tuple) -> None:
    book, recorded = server
    recorded.accounts[recorded.org[0]] = (503, b"{}")
    before = book.read_bytes()
    done = CliRunner().invoke(main, ["enrich", str(book)])
    assert done.exit_code == 2 and "Regnskapsregisteret svarte 503" in done.output
    assert book.read_bytes() == before


def test_no_accounts_asks_nothing_of_regnskapsregisteret(server: tuple) -> None:
    book, recorded = server
    done = CliRunner().invoke(main, ["enrich", str(book), "--no-accounts", "--json"])
    assert done.exit_code == 0, done.output
    assert not [r for r in recorded.requests if r.startswith("/regnskap/")]
    fields = {c["field"] for c in json.loads(done.output)["changed_fields"]}
    assert "Turnover year" not in fields


def test_a_file_of_statements_and_a_bad_one(server: tuple, tmp_path: Path) -> None:
    book, recorded = server
    statements = tmp_path / "regnskap.json"
    statements.write_bytes(recorded.accounts[recorded.org[0]][1])
    result = enrich_book(book, accounts=Accounts(api=False, file=statements))
    assert not [r for r in recorded.requests if r.startswith("/regnskap/")]
    assert _changes(result, recorded.customers[0])["Turnover year"].other == 2024
    bad = tmp_path / "bad.json"
    bad.write_text('{"regnskapstype": "SELSKAP"}', encoding="utf-8")
    done = CliRunner().invoke(main, ["enrich", str(book), "--accounts", str(bad)])
    assert done.exit_code == 2 and "bad.json: kan ikke lese" in done.output


def test_json_shows_the_year_of_each_turnover(server: tuple) -> None:
    book, _ = server
    done = CliRunner().invoke(main, ["enrich", str(book), "--json"])
    assert done.exit_code == 0, done.output
    rows = [c for c in json.loads(done.output)["changed_fields"] if c["field"] == "Turnover year"]
    assert rows and all(c["brreg"] == 2024 and "2024" in c["note"] for c in rows)
