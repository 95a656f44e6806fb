"""`crmbook enrich` against a local HTTP server serving recorded Enhetsregisteret responses,
and against the bulk file (JSON, gzip'ed JSON, CSV); no test touches the network."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.enrich import Accounts, enrich_book
from crmbook.book.brreg_source import API_ENV, BrregError
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core import typed
from tests.importing.helpers import copy, customers, edit, rows
from tests.saft.conftest import Recorded

FIXTURES = Path(__file__).parent / "brreg"


def test_api_plan_flags_and_apply(server: tuple) -> None:
    book, recorded = server
    a = recorded.customers[0]
    result = enrich_book(book)
    assert not result.applied and recorded.requests[0].startswith("/enheter?organisasjonsnummer=")
    messages = {f.org: f.message for f in result.enrich.flags}
    assert messages[recorded.org[1]] == "konkurs."
    assert messages[recorded.org[2]] == "slettet fra Enhetsregisteret 2024-06-30."
    assert "finnes ikke" in messages[recorded.org[3]]
    assert result.counts()["found"] == 2
    mine = [
        c for c in result.enrich.plan.changes if c.customer_id == typed.integer(a["Customer ID"])
    ]
    by_field = {c.field: c for c in mine}
    assert by_field["Employees"].other == 4242 and by_field["Employee band"].other == "≥500"
    assert by_field["Address"].other == "Postboks 123"
    assert "Company" not in by_field or typed.text(a["Company"]).upper() != "FJORDHOTELLET AS"
    sheet = rows(book, s.IMPORT)
    assert sum(1 for r in sheet if r[0] == "Varsel") == len(result.enrich.flags) >= 3
    row = next(n for n, r in enumerate(sheet, start=1)
               if r[4] == "Ansatte" and r[1] == a["Customer ID"])  # fmt: skip
    edit(book, s.IMPORT, {(row, "Choice"): "ta"})
    done = enrich_book(book, apply=True)
    assert done.applied
    after = customers(book)[typed.integer(a["Customer ID"])]
    assert typed.integer(after["Employees"]) == 4242
    assert any("Brønnøysund" in str(r[1]) for r in rows(book, s.LOG))


def _bulk_json(recorded: Recorded, path: Path, zipped: bool) -> Path:
    entities = [*recorded.live.values(), *recorded.deleted.values()]
    data = json.dumps(entities, ensure_ascii=False, indent=1).encode()
    path.write_bytes(gzip.compress(data) if zipped else data)
    return path


def _bulk_csv(recorded: Recorded, path: Path) -> Path:
    """As the register's CSV download: dotted headers, one row per entity."""
    headers = ["organisasjonsnummer", "navn", "organisasjonsform.kode", "naeringskode1.kode",
               "naeringskode1.beskrivelse", "antallAnsatte", "postadresse.adresse",
               "postadresse.postnummer", "postadresse.poststed", "postadresse.landkode",
               "forretningsadresse.adresse", "forretningsadresse.postnummer",
               "forretningsadresse.poststed", "forretningsadresse.landkode",
               "konkurs", "underAvvikling", "slettedato"]  # fmt: skip
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        for e in [*recorded.live.values(), *recorded.deleted.values()]:
            writer.writerow([_flat(e, h) for h in headers])
    return path


def _flat(entity: dict, header: str) -> str:
    node: object = entity
    for part in header.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, list):
        return ", ".join(node)
    if isinstance(node, bool):
        return "true" if node else "false"
    return "" if node is None else str(node)


@pytest.mark.parametrize("kind", ["json", "json.gz", "csv"])
def test_bulk_file_gives_the_api_plan(server: tuple, tmp_path: Path, kind: str) -> None:
    book, recorded = server
    api = enrich_book(book)
    path = tmp_path / f"enheter.{kind}"
    if kind == "csv":
        _bulk_csv(recorded, path)
    else:
        _bulk_json(recorded, path, zipped=kind.endswith("gz"))
    statements = tmp_path / "regnskap.json"
    statements.write_bytes(recorded.accounts[recorded.org[0]][1])
    served = len(recorded.requests)
    bulk = enrich_book(book, path, accounts=Accounts(api=False, file=statements))
    assert len(recorded.requests) == served, "the bulk file needs no network"
    fields = lambda r: sorted((c.customer_id, c.field, str(c.other)) for c in r.enrich.plan.changes)  # noqa: E731
    assert fields(bulk) == fields(api)
    assert sorted(f.message for f in bulk.enrich.flags) == sorted(
        f.message for f in api.enrich.flags
    )


def test_offline_says_so_and_writes_nothing(built: dict, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    book = copy(built["en"], tmp_path)
    monkeypatch.setenv(API_ENV, "http://127.0.0.1:9/enheter")  # the discard port: refused
    before = book.read_bytes()
    with pytest.raises(BrregError, match=r"no network.*--from FILE"):
        enrich_book(book)
    assert book.read_bytes() == before


def test_a_file_that_is_not_the_register(built: dict, tmp_path: Path) -> None:
    book = copy(built["en"], tmp_path)
    bad = tmp_path / "enheter.json"
    bad.write_text('{"not": "an array"}', encoding="utf-8")
    done = CliRunner().invoke(main, ["enrich", str(book), "--from", str(bad), "--json"])
    assert done.exit_code == 2 and "enheter.json: cannot read it" in done.output
    truncated = tmp_path / "cut.json"
    truncated.write_text('[{"organisasjonsnummer": "923609016", "navn": "A', encoding="utf-8")
    done = CliRunner().invoke(main, ["enrich", str(book), "--from", str(truncated)])
    assert done.exit_code == 2 and "cut.json: cannot read it" in done.output


def test_cli_json_from_the_bulk_file(server: tuple, tmp_path: Path) -> None:
    book, recorded = server
    path = _bulk_json(recorded, tmp_path / "enheter.json", zipped=False)
    done = CliRunner().invoke(main, ["enrich", str(book), "--from", str(path), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["source"] == "enheter.json" and data["applied"] is False
    assert data["found"] == 2 and data["flagged"] == len(data["flags"]) >= 3
    employees = [c for c in data["changed_fields"] if c["field"] == "Employees"]
    assert any(c["brreg"] == 4242 for c in employees)
    assert {f["org_number"] for f in data["flags"]} >= set(recorded.org[1:])
