"""Hostile answers from the Brønnøysund registers: nesting that would blow Python's stack, an
answer far larger than any company's accounts, HTML where JSON was promised, and statements
whose numbers, dates and currency are not what the published format says. Each is refused or
left out with a message; nothing crashes, and no workbook is written half."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.book import accounts_source, brreg_source
from crmbook.book.builder import create
from crmbook.cli import main
from crmbook.core import annual_accounts
from crmbook.core.annual_accounts import UNREADABLE, latest

ORG = "923609016"


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, tuple[int, bytes]]]:
    """A local server answering each path with what the test puts in the dict."""
    served: dict[str, tuple[int, bytes]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            code, body = served.get(self.path.split("?")[0], (404, b"{}"))
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv(accounts_source.API_ENV, f"{base}/regnskap")
    monkeypatch.setenv(brreg_source.API_ENV, f"{base}/enheter")
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_nesting_and_size_bombs_are_unreadable_not_a_crash(answers: dict) -> None:
    answers[f"/regnskap/{ORG}"] = (200, b"[" * 200_000)
    assert accounts_source.from_api([ORG], "en") == {ORG: UNREADABLE}
    answers[f"/regnskap/{ORG}"] = (200, b"[" + b" " * accounts_source.MAX_ANSWER + b"]")
    assert accounts_source.from_api([ORG], "en") == {ORG: UNREADABLE}
    answers[f"/regnskap/{ORG}"] = (200, b"<html>Service Unavailable</html>")
    assert accounts_source.from_api([ORG], "en") == {ORG: UNREADABLE}


def test_enhetsregisteret_answering_html_is_said_and_nothing_written(
    answers: dict, tmp_path: Path
) -> None:
    book = create(tmp_path / "b.xlsx", lang="en", demo=20, seed=4, templates=False)
    answers["/enheter"] = (200, b"<html>maintenance</html>")
    before = book.read_bytes()
    done = CliRunner().invoke(main, ["enrich", str(book)])
    assert done.exit_code == 2 and "not its JSON" in done.output
    assert book.read_bytes() == before


def test_a_nested_accounts_file_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "regnskap.json"
    bomb.write_bytes(b"[" * 200_000)
    with pytest.raises(brreg_source.BrregError, match=r"regnskap\.json: cannot read it"):
        accounts_source.from_file(bomb, [ORG], "en")


def _statement(**changes: object) -> dict:
    good = {
        "regnskapstype": "SELSKAP", "valuta": "NOK",
        "regnskapsperiode": {"fraDato": "2024-01-01", "tilDato": "2024-12-31"},
        "resultatregnskapResultat": {"driftsresultat": {"driftsinntekter": {
            "sumDriftsinntekter": 12_000_000}}},
    }  # fmt: skip
    return good | changes


@pytest.mark.parametrize(
    "statement",
    [
        _statement(valuta="EUR"),  # another currency: no band in NOK
        _statement(regnskapstype="KONSERN"),  # the group's, not the company's
        _statement(regnskapsperiode={"tilDato": "the end of 2024"}),
        _statement(regnskapsperiode="2024"),
        _statement(
            resultatregnskapResultat={
                "driftsresultat": {"driftsinntekter": {"sumDriftsinntekter": "tolv millioner"}}
            }
        ),
        _statement(
            resultatregnskapResultat={
                "driftsresultat": {"driftsinntekter": {"sumDriftsinntekter": -5}}
            }
        ),
        _statement(resultatregnskapResultat=[1, 2, 3]),
        "a statement as text",
        None,
    ],
)
def test_statements_not_in_the_published_form_are_left_out(statement: object) -> None:
    assert latest([statement]) is None


def test_the_latest_usable_statement_wins() -> None:
    older = _statement(regnskapsperiode={"fraDato": "2022-07-01", "tilDato": "2023-06-30"})
    found = latest([older, _statement(valuta="EUR"), "junk"])
    assert found is not None and found.year == 2023 and found.end == dt.date(2023, 6, 30)
    assert "2022-07-01" in found.note("en")  # a year that is not the calendar year says so
    with pytest.raises(ValueError):
        latest("not a list")
    assert annual_accounts.latest([]) is None


def test_an_enhetsregisteret_answer_larger_than_any_batch_is_not_read_whole(
    answers: dict, tmp_path: Path
) -> None:
    """A proxy's endless page must not be read into memory: the answer is cut at the cap."""
    book = create(tmp_path / "b.xlsx", lang="en", demo=20, seed=4, templates=False)
    answers["/enheter"] = (200, b"[" + b" " * brreg_source.MAX_ANSWER + b"]")
    before = book.read_bytes()
    done = CliRunner().invoke(main, ["enrich", str(book)])
    assert done.exit_code == 2 and "not its JSON" in done.output
    assert book.read_bytes() == before
