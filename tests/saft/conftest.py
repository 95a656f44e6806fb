"""Registers for SAF-T tests, built once per session and copied per test."""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmbook.book.accounts_source import API_ENV as ACCOUNTS_ENV
from crmbook.book.brreg_source import API_ENV
from crmbook.book.builder import create
from crmbook.core.merge_values import org_key
from tests.importing.helpers import copy, customers


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("built")
    return {
        "nb": create(folder / "nb" / "hotell.xlsx", lang="nb", demo=30, seed=3),
        "en": create(folder / "en" / "hotel.xlsx", lang="en", demo=30, seed=3),
    }


FIXTURES = Path(__file__).parent / "brreg"


def _entity(name: str, org: str) -> dict:
    text = (FIXTURES / name).read_text(encoding="utf-8").replace("ORGNR", org)
    return json.loads(text)


def _four(book: Path) -> list[dict]:
    """Four customers with nine-digit org numbers that no other customer shares."""
    register = list(customers(book).values())
    count = Counter(org_key(c["Org number"]) for c in register)
    orgs = [(c, org_key(c["Org number"])) for c in register]
    unique = [c for c, o in orgs if o and len(o) == 9 and count[o] == 1]
    return unique[:4]


class Recorded:
    """The entities the server knows: live (search and lookup), deleted (410), the rest 404."""

    def __init__(self, book: Path) -> None:
        a, b, c, d = _four(book)
        self.customers = (a, b, c, d)
        self.org = [org_key(x["Org number"]) for x in (a, b, c, d)]
        self.live = {self.org[0]: _entity("enhet.json", self.org[0]),
                     self.org[1]: _entity("enhet_konkurs.json", self.org[1])}  # fmt: skip
        self.deleted = {self.org[2]: _entity("enhet_slettet.json", self.org[2])}
        # Regnskapsregisteret: the first company's statements; the bankrupt one has none (404).
        self.accounts: dict[str, tuple[int, bytes]] = {self.org[0]: (200, _accounts(self.org[0]))}
        self.delay = 0.0  # seconds before Regnskapsregisteret answers
        self.requests: list[str] = []


def _accounts(org: str) -> bytes:
    return (FIXTURES / "regnskap.json").read_text(encoding="utf-8").replace("ORGNR", org).encode()


@pytest.fixture
def server(built: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple]:
    book = copy(built["nb"], tmp_path)
    recorded = Recorded(book)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.requests.append(self.path)
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path.startswith("/regnskap/"):
                time.sleep(recorded.delay)
                code, body = recorded.accounts.get(url.path.rsplit("/", 1)[-1], (404, b"{}"))
                self._raw(code, body)
                return
            if url.path == "/enheter" and "organisasjonsnummer" in query:
                asked = query["organisasjonsnummer"][0].split(",")
                found = [recorded.live[o] for o in asked if o in recorded.live]
                self._send(200, {"_embedded": {"enheter": found}} if found else {})
                return
            org = url.path.rsplit("/", 1)[-1]
            if org in recorded.live:
                self._send(200, recorded.live[org])
            elif org in recorded.deleted:
                self._send(410, recorded.deleted[org])
            else:
                self._send(404, {"status": 404, "error": "Not Found"})

        def _send(self, code: int, body: dict) -> None:
            self._raw(code, json.dumps(body).encode())

        def _raw(self, code: int, data: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(API_ENV, f"http://127.0.0.1:{httpd.server_address[1]}/enheter")
    monkeypatch.setenv(ACCOUNTS_ENV, f"http://127.0.0.1:{httpd.server_address[1]}/regnskap")
    try:
        yield book, recorded
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
