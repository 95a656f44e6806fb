"""`crmbook import-saft` through the command line, and the streaming reader on its own."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from crmbook.book.saft_file import read_saft
from crmbook.cli import COMMANDS, main
from tests.importing.helpers import copy
from tests.saft.saftxml import Customer, Invoice, Line, write

CUSTOMERS = [Customer("K1", "Fjord Catering AS", "923609016", postal="5003", city="Bergen")]


def _invoices(n: int) -> list[Invoice]:
    return [Invoice(str(1000 + i), "K1", "2025-03-04", [Line("3000", "10.00")]) for i in range(n)]


def test_help_line_is_the_docstring_sentence() -> None:
    from crmbook.cli.saft import import_saft

    first = (import_saft.__doc__ or "").strip().split("\n")[0]
    assert COMMANDS["import-saft"] == ("saft", first)


def test_json_plan_then_apply_refused_without_products(built: dict, tmp_path: Path) -> None:
    book = copy(built["en"], tmp_path)
    file = write(tmp_path / "books.xml", CUSTOMERS, _invoices(3))
    done = CliRunner().invoke(main, ["import-saft", str(book), str(file), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["applied"] is False and data["source"] == "books.xml"
    assert data["lines"] == 3 and data["no_product"] == 3 and data["new_accounts"] == ["3000"]
    done = CliRunner().invoke(main, ["import-saft", str(book), str(file), "--apply"])
    assert done.exit_code == 1 and "3000" in done.output and "Product mapping" in done.output


def test_one_line_file_and_progress(tmp_path: Path) -> None:
    file = write(tmp_path / "pretty.xml", CUSTOMERS, _invoices(200))
    flat = tmp_path / "flat.xml"
    flat.write_text(re.sub(r">\s+<", "><", file.read_text(encoding="utf-8")), encoding="utf-8")
    seen: list[int] = []
    saft = read_saft(flat, "en", seen.append)
    assert len(saft.lines) == 200 and saft.lines[-1].line == 1  # all on one line
    assert seen[-1] == flat.stat().st_size and seen == sorted(seen)
    assert read_saft(file, "en").lines[0].key == "1000/1"
