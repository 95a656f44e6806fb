"""The ribbon's entry points, run on a fake of xlwings (see test_live.py for its limits).

Each button leaves the same workbook content as the command line on the same register, ends
with a message box, and shows a user's problem as a message box in the workbook's language,
never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook import excel, excel_run
from crmbook.book.builder import create
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.resources import shipped
from tests.addin import fakexl
from tests.addin.test_live import copy, file_values
from tests.importing import helpers as importing

SELECTION = "Konferansetilbud"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "register.xlsx"
    done = CliRunner().invoke(main, ["new", str(path), "--demo", "40", "--seed", "3"])
    assert done.exit_code == 0, done.output
    return path


def open_in_fake_excel(path: Path, monkeypatch: pytest.MonkeyPatch) -> fakexl.Book:
    book = fakexl.load(path)
    monkeypatch.setitem(sys.modules, "xlwings", fakexl.Module(book))
    return book


def cli(*args: object) -> None:
    CliRunner().invoke(main, [str(a) for a in args])


def same_content(book: fakexl.Book, path: Path, *sheets: str) -> None:
    for name in sheets:
        assert book.sheets[name].values() == file_values(path, name), name


def test_validate_button_leaves_what_the_cli_leaves(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_file = copy(demo, tmp_path / "cli")
    cli("validate", on_file)
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    excel.validate()
    same_content(book, on_file, "Kunder", "Kjøp", "Kontroll")
    ((message, title, mode),) = book.app.alerts
    assert (title, mode) == ("crmbook", "info")
    assert "feil" in message and "Kontroll" in message
    assert book.app.statuses[0] == "crmbook: Leser arbeidsboka…"
    assert book.app.status_bar is False


def test_select_button_leaves_what_the_cli_leaves(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_file = copy(demo, tmp_path / "cli")
    cli("select", on_file, "--selection", SELECTION)
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    excel.select(excel.unhex(SELECTION.encode("utf-16-be").hex()))
    same_content(book, on_file, "Mottakere")
    assert SELECTION in book.app.alerts[0][0]


def test_make_letters_button_logs_what_the_cli_logs(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = shipped("letter_templates") / "konferansetilbud.docx"
    on_file = copy(demo, tmp_path / "cli")
    cli("letters", on_file, "--selection", SELECTION, "--template", template, "--campaign", "Vår")
    on_excel = copy(demo, tmp_path / "excel")
    book = open_in_fake_excel(on_excel, monkeypatch)
    excel.make_letters(SELECTION, str(template), "Vår")
    ((message, _, mode),) = book.app.alerts
    assert mode == "info", message
    same_content(book, on_file, "Utsendelser")
    made = sorted(p.name for p in (on_excel.parent).rglob("*.docx"))
    assert made == sorted(p.name for p in (on_file.parent).rglob("*.docx"))


def test_preview_opens_one_letter_and_logs_nothing(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(excel, "open_file", opened.append)
    monkeypatch.setattr(excel.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    before = book.sheets["Utsendelser"].values()
    template = shipped("letter_templates") / "konferansetilbud.docx"
    excel.preview_letter(SELECTION, str(template))
    assert len(opened) == 1 and opened[0].is_file(), book.app.alerts
    assert book.sheets["Utsendelser"].values() == before


def test_a_users_problem_is_a_message_box_in_the_workbooks_language(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)
    excel.select("Finnes ikke")
    excel.select("")
    book.sheets[1].name = "Customerz"  # the register lost its Customers sheet
    excel.validate()
    messages = [m for m, _, _ in book.app.alerts]
    assert [mode for _, _, mode in book.app.alerts] == ["critical"] * 3
    assert "Finnes ikke" in messages[0]
    assert "Utvalg" in messages[1]
    assert "Traceback" not in "".join(messages)
    assert book.app.status_bar is False


def test_an_unexpected_error_is_a_message_box_and_a_log(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel_run, "LOG", tmp_path / "crmbook-excel.log")
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)

    def broken(*_: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("crmbook.actions.validate.run", broken)
    excel.validate()
    ((message, _, mode),) = book.app.alerts
    assert mode == "critical" and "ZeroDivisionError" in message and "Traceback" not in message
    assert "Traceback" in (tmp_path / "crmbook-excel.log").read_text(encoding="utf-8")


def test_help_button_answers_with_a_message(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)
    excel.help()
    ((message, _, mode),) = book.app.alerts
    assert mode == "info" and "Import" in message and "Rapport" in message


def crmbook_charts(book: fakexl.Book) -> list[str]:
    return sorted(c.name for c in book.sheets["Rapport"].charts if c.name.startswith("crmbook"))


def test_report_button_fills_the_report_sheet_with_its_six_charts(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_file = copy(demo, tmp_path / "cli")
    cli("report", on_file)
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    excel.report()
    same_content(book, on_file, "Rapport")
    assert crmbook_charts(book) == [f"crmbook chart {n}" for n in range(1, 7)]
    ((message, _, mode),) = book.app.alerts
    assert mode == "info" and "Skrevet til arket Rapport." in message
    mine = book.sheets["Rapport"].charts.add(700, 0, 300, 200)
    mine.name = "Mitt diagram"
    excel.report()
    assert crmbook_charts(book) == [f"crmbook chart {n}" for n in range(1, 7)]
    assert "Mitt diagram" in [c.name for c in book.sheets["Rapport"].charts]
    assert [mode for _, _, mode in book.app.alerts] == ["info", "info"]


@pytest.fixture(scope="module")
def west(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another department's register, in English, partly the same customers as ``demo``."""
    path = tmp_path_factory.mktemp("west") / "west.xlsx"
    return create(path, lang="en", demo=30, seed=2, templates=False)


def press_import(path: Path) -> None:
    excel.import_register(excel.unhex(str(path).encode("utf-16-be").hex()))


def test_import_button_plans_then_applies_as_the_cli_does(
    demo: Path, west: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_file = copy(demo, tmp_path / "cli")
    cli("import", on_file, west)
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    press_import(west)
    same_content(book, on_file, "Import")
    assert book.app.questions == []  # no plan yet: the first press only plans
    (message, _, mode) = book.app.alerts[-1]
    assert mode == "info" and "arket Import" in message and "svar Ja" in message

    cli("import", on_file, west, "--apply")
    book.app.answers = ["yes"]
    press_import(west)
    ((question, buttons),) = book.app.questions
    assert buttons == "yes_no_cancel" and "west.xlsx" in question
    (message, _, mode) = book.app.alerts[-1]
    assert mode == "info" and "Importert" in message, message
    same_content(book, on_file, "Kunder", "Kjøp", "Utsendelser", "Logg")


def test_import_button_takes_what_the_user_chose_on_the_import_sheet(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = importing.copy(demo, tmp_path / "other", "vest.xlsx")  # the same customers…
    row = importing.clean_rows(other)[0]
    importing.edit(other, s.CUSTOMERS, {(row, "Email"): "ny@firma.no"})  # …one e-mail changed
    book = open_in_fake_excel(copy(demo, tmp_path / "excel"), monkeypatch)
    press_import(other)
    plan = book.sheets["Import"]
    (change,) = [r for (r, c), v in plan.cells.items() if c == 1 and v == "Endring"]
    assert plan.cells[(change, 8)] == "behold"
    plan.range((change, 8)).value = "ta"  # as the user types it
    book.app.answers = ["yes"]
    press_import(other)
    assert "1 tas inn" in book.app.alerts[-1][0], book.app.alerts[-1][0]
    assert "ny@firma.no" in book.sheets["Kunder"].values().values()


def test_import_button_no_plans_again_and_cancel_does_nothing(
    demo: Path, west: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = open_in_fake_excel(copy(demo, tmp_path), monkeypatch)
    press_import(west)
    customers = book.sheets["Kunder"].values()
    book.sheets["Import"].put(3, 8, "ta")  # a choice that "No" resets
    book.app.answers = ["cancel", "no"]
    press_import(west)
    assert len(book.app.alerts) == 1  # cancelled: no message box, nothing written
    assert book.sheets["Import"].cells[(3, 8)] == "ta"
    press_import(west)
    assert book.sheets["Import"].cells.get((3, 8)) != "ta"
    assert "arket Import" in book.app.alerts[-1][0]
    assert book.sheets["Kunder"].values() == customers


def test_import_button_problems_are_message_boxes(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = copy(demo, tmp_path)
    book = open_in_fake_excel(here, monkeypatch)
    before = book.sheets["Import"].values()
    excel.import_register()
    press_import(here)
    press_import(tmp_path / "missing.xlsx")
    messages = [m for m, _, _ in book.app.alerts]
    assert [mode for _, _, mode in book.app.alerts] == ["critical"] * 3
    assert "Velg arbeidsboka" in messages[0]
    assert "er denne arbeidsboka" in messages[1]
    assert "missing.xlsx" in messages[2]
    assert "Traceback" not in "".join(messages)
    assert book.sheets["Import"].values() == before


def test_text_crosses_from_vba_as_utf16_hex() -> None:
    text = "Kjøp 'n' \"dobbel\" | 😀 Ærlig"
    vba_hex = "".join(f"{u:04X}" for u in _utf16_units(text))  # what Hex16 in callbacks.bas makes
    assert excel.unhex(vba_hex) == text


def _utf16_units(text: str) -> list[int]:
    raw = text.encode("utf-16-be")
    return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]


def test_report_as_pdf_button_saves_the_report_beside_the_workbook(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy(demo, tmp_path / "excel")
    book = open_in_fake_excel(path, monkeypatch)
    excel.report_pdf()
    pdf = path.with_name(f"{path.stem} rapport.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and "Nøkkeltall".encode() in pdf.read_bytes()
    ((message, _, mode),) = book.app.alerts
    assert mode == "info" and f"PDF: {pdf}" in message
