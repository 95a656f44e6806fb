"""`crmbook select` on real workbooks built by `crmbook new --demo 200`, read back from disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from crmbook.actions.select import compute
from crmbook.book import layout
from crmbook.book.filebook import FileBook
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows

NAMES = {"nb": ("Konferansetilbud", "Mottakere"), "en": ("Conference offer", "Recipients")}


@pytest.fixture(scope="module", params=["nb", "en"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh demo workbook per language (copied per test by ``book``)."""
    path = tmp_path_factory.mktemp(request.param) / f"demo-{request.param}.xlsx"
    done = CliRunner().invoke(main, ["new", str(path), "--demo", "200", "--lang", request.param])
    assert done.exit_code == 0, done.output
    return path


@pytest.fixture
def book(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / demo.name
    copy.write_bytes(demo.read_bytes())
    return copy


def lang_of(book: Path) -> str:
    return "nb" if "-nb" in book.name else "en"


def run(*args: object) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["select", *map(str, args)])
    return done.exit_code, done.output


def sheet_rows(book: Path, name: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(book)).get_sheet_by_name(name).to_python()


def test_users_example_writes_recipients_and_funnel(book: Path) -> None:
    selection, recipients = NAMES[lang_of(book)]
    code, out = run(book, "--selection", selection, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert list(data) == ["selection", "count", "customer_ids", "funnel"]
    assert data["selection"] == selection
    assert data["count"] == len(data["customer_ids"]) > 0
    assert data["funnel"][0]["remaining"] == 200
    rows = sheet_rows(book, recipients)
    assert [int(r[0]) for r in rows[1 : data["count"] + 1]] == data["customer_ids"]
    assert all(r[0] == "" for r in rows[data["count"] + 1 :])
    funnel = [(r[11], int(r[12])) for r in rows[1:] if r[11] != ""]
    assert funnel == [(f["criterion"], f["remaining"]) for f in data["funnel"]]
    assert rows[0][:10] == layout.headers(s.RECIPIENTS, lang_of(book))


def test_every_selected_customer_meets_the_users_example(book: Path) -> None:
    register = FileBook(book).read()
    result = compute(register, NAMES[lang_of(book)][0])
    customers = register.frame(s.CUSTOMERS).loc[list(result.rows)]
    bought = register.frame(s.PURCHASES)
    conference = {
        typed.integer(c)
        for c, p in zip(bought["Customer ID"], bought["Product"], strict=True)
        if p in ("Conference", "Konferanse")
    }
    for _, c in customers.iterrows():
        assert typed.integer(c["Employees"]) > 100
        assert typed.integer(c["Customer ID"]) in conference
        assert c["Remark"] not in ("Bad payer", "Dårlig betaler")
        assert c["No marketing"] not in ("Yes", "Ja")


def test_no_write_leaves_the_file_untouched(book: Path) -> None:
    before = book.read_bytes()
    code, out = run(book, "--selection", NAMES[lang_of(book)][0], "--no-write")
    assert code == 0, out
    assert book.read_bytes() == before


def test_explain_and_unknown_customer(book: Path) -> None:
    selection = NAMES[lang_of(book)][0]
    data = json.loads(run(book, "--selection", selection, "--json", "--no-write")[1])
    inside = data["customer_ids"][0]
    code, out = run(book, "--selection", selection, "--explain", inside)
    assert code == 0 and str(inside) in out and ("er med i" in out or "is in the" in out)
    code, out = run(book, "--selection", selection, "--explain", 1, "--json")
    assert code == 0
    assert json.loads(out)["customer_id"] == 1
    code, out = run(book, "--selection", selection, "--explain", 99999)
    assert code == 2 and "99999" in out


def test_an_unknown_selection_lists_the_saved_ones(book: Path) -> None:
    code, out = run(book, "--selection", "Vinter")
    assert code == 2
    assert NAMES[lang_of(book)][0] in out


def test_a_bad_criterion_in_the_workbook_names_its_cell(book: Path) -> None:
    FileBook(book).apply([AppendRows(s.SELECTIONS, [["Vinter", 1, "Ansate", ">", 100]])])
    code, out = run(book, "--selection", "vinter")
    assert code == 2
    assert ("rad 5, kolonne C" in out) or ("row 5, column C" in out)
    assert "Ansatte" in out or "Employees" in out


def test_the_action_is_one_call_for_any_front_end(book: Path) -> None:
    from crmbook.actions.select import Request
    from crmbook.actions.select import run as select

    selection, recipients = NAMES[lang_of(book)]
    before = book.read_bytes()
    dry = select(FileBook(book), Request(selection, write=False))
    assert book.read_bytes() == before and not dry.written
    done = select(FileBook(book), Request(selection))
    assert done.result == dry.result
    n = done.result.count
    expected = {
        "nb": f"{n} kunder i «{selection}». De står på arket {recipients}.",
        "en": f"{n} customers in '{selection}'. They are on the {recipients} sheet.",
    }
    assert done.message() == expected[lang_of(book)]
    ids = [row[0] for row in sheet_rows(book, recipients)[1:] if row[0] != ""]
    assert ids == list(done.result.customer_ids)
