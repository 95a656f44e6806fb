"""`import-saft` (plan and apply) and `enrich --from` on every hostile workbook: exit 0, 1 or 2
with a message, never a traceback; the workbook stays sound; every cell of a sheet the
command does not own is as it was (the generic properties of test_every_command.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crmbook.book.filebook import FileBook
from crmbook.core import schema as s
from crmbook.core.edits import SetCells
from tests.adversarial import hostile
from tests.adversarial.snapshot import workbook_cells
from tests.adversarial.test_every_command import (
    DATA,
    Command,
    _assert_sound,
    _assert_unowned_cells_kept,
    _reads,
    _run,
)
from tests.saft.saftxml import Customer, Invoice, Line, write

PLAN = Command(("import-saft", "{book}", "{saft}"), frozenset({s.IMPORT, s.PRODUCT_MAP}))
#: An apply adds customers and purchases and may set their known columns.
APPLY = Command(("import-saft", "{book}", "{saft}", "--apply"),
                frozenset({s.IMPORT, s.PRODUCT_MAP, s.LOG}), frozenset(DATA),
                frozenset(DATA))  # fmt: skip
ENRICH = Command(("enrich", "{book}", "--from", "{brreg}"), frozenset({s.IMPORT}))


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile-saft")
    built = {name: hostile.build(name, root / name) for name in hostile.CASES}
    customers = [Customer("K1", "Hostile Regnskap AS", postal="5003", city="Bergen")]
    invoices = [Invoice("1", "K1", "2025-02-03", [Line("3000", "100.00")])]
    built["saft"] = write(root / "saft.xml", customers, invoices)
    entities = [{"organisasjonsnummer": "923609016", "navn": "EQUINOR ASA", "konkurs": False}]
    built["brreg"] = root / "enheter.json"
    built["brreg"].write_text(json.dumps(entities), encoding="utf-8")
    return built


@pytest.mark.parametrize("name", ["plan", "apply", "enrich"])
@pytest.mark.parametrize("case", sorted(hostile.CASES))
def test_saft_and_enrich_on_hostile_workbook(
    case: str, name: str, books: dict[str, Path], tmp_path: Path
) -> None:
    command = {"plan": PLAN, "apply": APPLY, "enrich": ENRICH}[name]
    folder = tmp_path / case
    shutil.copytree(books[case].parent, folder)
    book = folder / books[case].name
    before_bytes = book.read_bytes()
    readable = _reads(book)
    before = workbook_cells(book) if readable else {}
    if name == "apply" and readable:  # plan first, and give the account a product
        planned, _ = _run([str(a).format(book=book, saft=books["saft"]) for a in PLAN.args],
                          subprocess_run=False)  # fmt: skip
        if planned == 0:
            port = FileBook(book)
            port.read()
            port.apply([SetCells(s.PRODUCT_MAP, {(2, "C"): "Conference"})])
        before = workbook_cells(book)
    args = [a.format(book=book, saft=books["saft"], brreg=books["brreg"]) for a in command.args]
    code, output = _run(args, subprocess_run=False)
    assert "Traceback" not in output, output
    assert code in (0, 1, 2), output
    if code:
        assert output.strip(), "a refusal must say why"
    if not readable:
        assert book.read_bytes() == before_bytes, "a command that cannot read must not write"
        return
    _assert_sound(book)
    _assert_unowned_cells_kept(before, workbook_cells(book), command)
