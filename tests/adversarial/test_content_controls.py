"""A company name pasted from Word with a vertical tab (U+000B) and a picture anchor (U+0001):
validate names the character at the cell, --fix removes it, and letters are always readable —
every letter and the combined print file by python-docx, one letter by LibreOffice as a PDF."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from crmbook.book.builder import create
from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core import typed
from tests.adversarial.content_books import with_text
from tests.office import convert, needs_office

SELECTION, TEMPLATE = "Konferansetilbud", "konferansetilbud.docx"


def run(*args: object) -> tuple[int, str]:
    done = CliRunner().invoke(main, [*map(str, args)])
    return done.exit_code, done.output


@pytest.fixture
def pasted(tmp_path: Path) -> tuple[Path, dict[int, int]]:
    """A register whose first two letter recipients have Word's control characters in their
    Company, Contact person and Notes; returns the book and {customer id: Excel row}."""
    book = create(tmp_path / "east.xlsx", lang="nb", demo=30, seed=3)
    code, out = run("select", book, "--selection", SELECTION, "--json", "--no-write")
    assert code == 0, out
    ids = json.loads(out)["customer_ids"][:2]
    frame = read_register(book).frame(s.CUSTOMERS)
    row_of = {typed.integer(v): int(r) for r, v in frame["Customer ID"].items()}
    rows = {cid: row_of[cid] for cid in ids}
    first, second = rows.values()
    with_text(book, s.CUSTOMERS, {
        (first, "Company"): "Hansen\x0bSønn AS",
        (first, "Notes"): "Ring før\x0bjul",
        (second, "Company"): "Fjord\x01 Event\x1eHus AS",
        (second, "Contact person"): "Kari\x0b Nordmann",
    })  # fmt: skip
    return book, rows


def test_validate_names_the_character_at_the_cell_and_fix_removes_it(pasted: tuple) -> None:
    book, rows = pasted
    first, second = rows.values()
    code, out = run("validate", book, "--json", "--no-write")
    assert code == 1
    issues = [i for i in json.loads(out)["issues"] if "U+00" in i["message"]]
    assert {(i["row"], i["field"]) for i in issues} == {
        (first, "Company"), (first, "Notes"), (second, "Company"), (second, "Contact person")
    }  # fmt: skip
    company = next(i for i in issues if (i["row"], i["field"]) == (first, "Company"))
    assert company["severity"] == "Error" and company["value"] == "Hansen\x0bSønn AS"
    assert "U+000B (et linjeskift fra Word)" in company["message"]
    assert "crmbook validate --fix" in company["message"]
    code, out = run("validate", book, "--fix")
    frame = read_register(book).frame(s.CUSTOMERS)
    assert frame.loc[first, "Company"] == "Hansen Sønn AS"
    assert frame.loc[first, "Notes"] == "Ring før\njul"  # a line break stays one in Notes
    assert frame.loc[second, "Company"] == "Fjord Event\u2011Hus AS"
    assert frame.loc[second, "Contact person"] == "Kari Nordmann"
    code, out = run("validate", book, "--json", "--no-write")
    assert not [i for i in json.loads(out)["issues"] if "U+00" in i["message"]]


def test_the_issues_sheet_quoting_such_a_value_is_valid_xml(pasted: tuple) -> None:
    book, _ = pasted
    assert run("validate", book)[0] == 1
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                etree.fromstring(z.read(name))  # raises on a character XML forbids
    issues = read_register(book, [s.ISSUES], strict=False).frame(s.ISSUES)
    assert "Hansen\ufffdSønn AS" in set(issues["Value"])


@needs_office
def test_letters_before_any_fix_are_all_readable(pasted: tuple, tmp_path: Path) -> None:
    book, rows = pasted
    code, out = run("letters", book, "--selection", SELECTION, "--template", TEMPLATE,
                    "--campaign", "Vinter", "--json")  # fmt: skip
    assert code == 0, out
    made = json.loads(out)
    files = [Path(f) for f in made["files"]]
    texts = {}
    for path in [*files, Path(made["combined"])]:
        document = docx.Document(str(path))  # python-docx refuses a part with U+000B
        texts[path] = "\n".join(p.text for p in document.paragraphs)
    first = next(iter(rows))
    mine = next(f for f in files if f.name.startswith(f"{first} "))
    assert "Hansen Sønn AS" in texts[mine]
    assert "Fjord Event\u2011Hus AS" in texts[Path(made["combined"])]
    assert all("\x0b" not in t and "\x01" not in t for t in texts.values())
    pdf = convert([mine], "pdf", tmp_path / "pdf", profile=tmp_path / "profile")
    assert pdf[0].suffix == ".pdf" and pdf[0].stat().st_size > 1000
    logged = read_register(book).frame(s.MAILINGS)["Company"]
    assert "Hansen Sønn AS" in set(logged) and not any("\x0b" in str(v) for v in logged)
