"""The ribbon's newer buttons on the fake of xlwings: validate and fix, letters with PDF, why a
customer is not selected, GDPR export and erase of the selected row's customer, Settings.

Each leaves what the command line leaves on the same register, and a problem is a message box
in the workbook's language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook import excel
from crmbook.cli import main
from crmbook.resources import shipped
from tests.addin import fakexl
from tests.addin.test_excel import SELECTION, cli, demo, open_in_fake_excel, same_content
from tests.addin.test_live import copy
from tests.office import needs_office

__all__ = ["demo"]  # the fixture, shared with test_excel


def row_of(book: fakexl.Book, sheet: str, customer_id: int) -> int:
    """The Excel row of a customer on a sheet with a Kundenr column."""
    cells = book.sheets[sheet].cells
    col = next(c for (r, c), v in cells.items() if r == 1 and v == "Kundenr")
    return next(r for (r, c), v in cells.items() if c == col and r > 1 and v == customer_id)


def selected_ids(path: Path) -> set[int]:
    done = CliRunner().invoke(
        main, ["select", str(path), "--selection", SELECTION, "--json", "--no-write"]
    )
    return set(json.loads(done.output)["customer_ids"])


def outsider(path: Path, book: fakexl.Book) -> int:
    """A customer of the register who is not in the selection."""
    cells = book.sheets["Kunder"].cells
    ids = {v for (r, c), v in cells.items() if c == 1 and r > 1}
    return int(min(ids - selected_ids(path)))


def test_validate_and_fix_leaves_what_the_cli_leaves(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_file = copy(demo, tmp_path / "cli")
    cli("validate", on_file, "--fix")
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    excel.validate_fix()
    same_content(book, on_file, "Kunder", "Kontroll")
    ((message, _, mode),) = book.app.alerts
    assert mode == "info" and "Kontroll" in message and "rett" in message


def test_why_not_selected_says_what_the_cli_says_for_the_selected_row(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy(demo, tmp_path)
    book = open_in_fake_excel(path, monkeypatch)
    customer = outsider(path, book)
    told = CliRunner().invoke(
        main, ["select", str(path), "--selection", SELECTION, "--explain", str(customer)]
    )
    excel.explain_customer(SELECTION, "Kunder", row_of(book, "Kunder", customer))
    ((message, _, mode),) = book.app.alerts
    assert mode == "info" and message == told.output.strip()
    assert str(customer) in message


def test_the_selected_row_may_be_on_any_sheet_with_a_customer_id(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)
    cells = book.sheets["Kjøp"].cells
    customer = int(cells[(2, 1)])
    excel.explain_customer(SELECTION, "Kjøp", 2)
    excel.explain_customer(SELECTION, "Kunder", row_of(book, "Kunder", customer))
    (first, _, _), (second, _, _) = book.app.alerts
    assert first == second


def test_a_row_without_a_customer_is_a_message_naming_the_sheet(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)
    excel.explain_customer(SELECTION, "Innstillinger", 3)
    excel.export_customer("Kunder", 1)  # the header row
    excel.erase_customer("Kunder", 5000)  # below the data
    excel.explain_customer("", "Kunder", 2)
    messages = [m for m, _, _ in book.app.alerts]
    assert [mode for _, _, mode in book.app.alerts] == ["critical"] * 4
    assert "«Innstillinger» har ingen kolonne Kundenr" in messages[0]
    assert "Rad 1 på arket «Kunder»" in messages[1] and "Rad 5000" in messages[2]
    assert "Utvalg" in messages[3]
    assert "Traceback" not in "".join(messages) and book.app.questions == []


def test_export_writes_the_customers_data_beside_the_workbook(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_file = copy(demo, tmp_path / "cli")
    on_excel = copy(demo, tmp_path / "excel")
    book = open_in_fake_excel(on_excel, monkeypatch)
    customer = int(book.sheets["Kunder"].cells[(2, 1)])
    company = book.sheets["Kunder"].cells[(2, 2)]
    cli("customer", "export", on_file, customer)
    excel.export_customer("Kunder", 2)
    ((message, _, mode),) = book.app.alerts
    written = on_excel.with_name(f"{on_excel.stem}-customer-{customer}.json")
    assert mode == "info" and str(written) in message and company in message
    ours = json.loads(written.read_text(encoding="utf-8"))
    theirs = json.loads(
        on_file.with_name(f"{on_file.stem}-customer-{customer}.json").read_text(encoding="utf-8")
    )
    assert ours["customer_id"] == theirs["customer_id"] == customer
    assert set(ours) == set(theirs)


def test_erase_asks_first_naming_the_customer_and_no_changes_nothing(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)
    customers = book.sheets["Kunder"].values()
    customer = int(book.sheets["Kunder"].cells[(3, 1)])
    company = book.sheets["Kunder"].cells[(3, 2)]
    book.app.answers = ["no"]
    excel.erase_customer("Kunder", 3)
    ((question, buttons),) = book.app.questions
    assert buttons == "yes_no" and f"{customer} {company}" in question
    assert book.app.alerts == [] and book.sheets["Kunder"].values() == customers


def test_erase_after_yes_leaves_what_the_cli_leaves(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_file = copy(demo, tmp_path / "cli")
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    customer = int(book.sheets["Kunder"].cells[(3, 1)])
    cli("customer", "erase", on_file, customer)
    book.app.answers = ["yes"]
    excel.erase_customer("Kunder", 3)
    (message, _, mode) = book.app.alerts[-1]
    assert mode == "info" and f"Kunde {customer}" in message and "Lagre arbeidsboka" in message
    same_content(book, on_file, "Kunder", "Kjøp", "Utsendelser")
    ids = [v for (_, c), v in book.sheets["Kunder"].cells.items() if c == 1]
    assert customer not in ids


def test_settings_shows_the_settings_sheet(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)
    book.sheets["Innstillinger"].visible = False
    excel.settings()
    assert book.sheets["Innstillinger"].activations == 1
    assert book.sheets["Innstillinger"].visible and book.app.alerts == []
    book.sheets["Innstillinger"].name = "Oppsett"
    excel.settings()
    ((message, _, mode),) = book.app.alerts
    assert mode == "critical" and "«Innstillinger»" in message


@needs_office
@pytest.mark.libreoffice
def test_letters_with_pdf_makes_a_pdf_beside_each_letter(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = shipped("letter_templates") / "konferansetilbud.docx"
    on_excel = copy(demo, tmp_path / "excel")
    book = open_in_fake_excel(on_excel, monkeypatch)
    excel.make_letters_pdf(SELECTION, str(template), "Vår")
    ((message, _, mode),) = book.app.alerts
    assert mode == "info" and "PDF" in message, message
    letters = sorted(on_excel.parent.rglob("*.docx"))
    pdfs = sorted(on_excel.parent.rglob("*.pdf"))
    assert letters and [p.stem for p in pdfs] == [p.stem for p in letters]
    assert f"{len(pdfs)} PDF-filer" in message
