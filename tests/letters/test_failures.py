"""A run that cannot finish leaves nothing behind: templates failing while rendering, bad
values given to the filters, reruns with --overwrite, and paths kept relative in the files."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from crmbook.actions.letters import Request, make_letters
from crmbook.actions.select import compute
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.cli import main
from crmbook.core import letters as core
from crmbook.errors import RefusedError, UsageError
from tests.letters.helpers import TODAY

SELECTION = "Konferansetilbud"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return create(tmp_path / "book.xlsx", demo=50)


def template(folder: Path, *paragraphs: str) -> Path:
    path = folder / "mal.docx"
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def run(book: Path, tpl: Path | str = "konferansetilbud.docx", **options) -> object:
    return make_letters(FileBook(book), book, Request(SELECTION, Path(tpl), **options), TODAY)


def mailings(book: Path) -> list[tuple]:
    frame = FileBook(book).read().frame("Mailings")
    return list(frame[["Campaign", "Customer ID", "Letter file"]].itertuples(index=False))


def recipients(book: Path) -> list[core.Recipient]:
    register = FileBook(book).read()
    return core.recipients(register, compute(register, SELECTION).customer_ids)[0]


def files_under(folder: Path) -> list[Path]:
    """Every file and folder under ``folder`` (hidden ones too: no temporary folder is left)."""
    return sorted(p for p in folder.rglob("*")) if folder.exists() else []


def contents(folder: Path) -> dict[Path, bytes | None]:
    return {p: p.read_bytes() if p.is_file() else None for p in files_under(folder)}


def test_overwrite_replaces_the_letters_but_logs_nobody_twice(book: Path) -> None:
    before = len(mailings(book))
    first = run(book)
    assert first.logged == len(first.files) > 0
    again = run(book, overwrite=True)
    assert again.files == first.files and again.logged == 0
    assert len(mailings(book)) == before + len(first.files)
    shown = FileBook(book).read(["Recipients"]).frame("Recipients")
    column = dict(zip(shown["Customer ID"], shown["Letter"], strict=True))
    assert all(column[float(f.name.split(" ")[0])].endswith(f.name) for f in again.files)


def test_overwrite_logs_only_the_customers_new_to_the_campaign(book: Path) -> None:
    first = run(book, campaign="Vinter")
    newest = max(p.customer_id for p in recipients(book))
    path = book.parent / "later.xlsx"  # as if this customer had joined the selection later
    wb = openpyxl.load_workbook(book)
    sheet = wb["Utsendelser"]
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, 3).value == newest:
            sheet.delete_rows(row)
    wb.save(path)
    before = len(mailings(path))
    again = make_letters(
        FileBook(path), path, Request(SELECTION, Path("konferansetilbud.docx"),
        campaign="Vinter", out=book.parent / "letters", overwrite=True), TODAY,
    )  # fmt: skip
    assert len(again.files) == len(first.files) and again.logged == 1
    assert [r[1] for r in mailings(path)[before:]] == [newest]


@pytest.mark.parametrize(
    ("tag", "error"),
    [
        ("{{ 1/0 }}", "division by zero"),
        ("{% for i in range(10**9) %}x{% endfor %}", "(høyst 10\u00a0000), i avsnittet «{%"),
        ("{{ 9**9999999 }}", "er for stort for et brev"),
        ("{{ 'x' * 10**9 }}", "er for lang for et brev"),
        ("{{ company|nok }}", "filteret nok trenger et tall"),
        ("{{ city|date }}", "filteret date trenger en dato"),
    ],
)
def test_a_template_failing_while_rendering_is_a_usage_error_and_writes_nothing(
    book: Path, tag: str, error: str
) -> None:
    tpl = template(book.parent, "Hei {{ firma }}", tag)
    before = len(mailings(book))
    with pytest.raises(UsageError) as caught:
        run(book, tpl)
    first = recipients(book)[0]
    message = str(caught.value)
    assert message.startswith(f"Malen mal.docx feiler for kunde {first.customer_id} (")
    assert first.company in message and error in message
    assert files_under(book.parent / "letters") == [] and len(mailings(book)) == before


def test_a_letter_failing_halfway_leaves_no_letters_and_keeps_the_old_ones(book: Path) -> None:
    people = recipients(book)
    second = people[1].customer_id
    tpl = template(book.parent, "Hei {{ firma }}", f"{{{{ 100 / (customer_id - {second}) }}}}")
    run(book, "konferansetilbud.docx")
    old = contents(book.parent / "letters")
    before = len(mailings(book))
    with pytest.raises(UsageError) as caught:
        run(book, tpl, overwrite=True)
    assert f"kunde {second} ({people[1].company})" in str(caught.value)
    assert contents(book.parent / "letters") == old
    assert len(mailings(book)) == before


def test_a_failing_preview_leaves_no_folder(book: Path) -> None:
    with pytest.raises(UsageError):
        run(book, template(book.parent, "{{ 1/0 }}"), preview=True)
    assert not (book.parent / "letters").exists()


def test_cli_says_a_failing_template_in_one_line_with_exit_code_2(book: Path) -> None:
    tpl = template(book.parent, "x {{ (turnover_nok / 1000)|round }}", "{{ 1/0 }}")
    done = CliRunner().invoke(
        main, ["letters", str(book), "--selection", SELECTION, "--template", str(tpl)]
    )
    assert done.exit_code == 2 and isinstance(done.exception, SystemExit)
    assert "Traceback" not in done.output and "Ingen brev er skrevet" in done.output


def test_cli_refused_template_exits_2(book: Path) -> None:
    tpl = template(book.parent, "{{ self }}")
    done = CliRunner().invoke(
        main, ["letters", str(book), "--selection", SELECTION, "--template", str(tpl)]
    )
    assert done.exit_code == 2 and "ikke tillatt i en brevmal: self" in done.output


def test_overwrite_removes_the_stale_pdfs_of_the_replaced_letters_only(book: Path) -> None:
    first = run(book)
    stale = [f.with_suffix(".pdf") for f in [*first.files, first.combined]]
    for pdf in stale:
        pdf.write_bytes(b"%PDF old")
    other = first.folder / "price list.pdf"
    other.write_bytes(b"%PDF keep")
    again = run(book, overwrite=True)
    assert not any(p.exists() for p in stale) and other.exists()
    assert again.pdf == [] and json.loads((again.folder / "manifest.json").read_text())["pdf"] == []


def test_files_and_the_log_hold_no_absolute_paths(book: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path.parent / (tmp_path.name + "-out")
    tpl = template(book.parent, "Hei {{ firma }}")
    result = run(book, tpl.resolve(), out=elsewhere, campaign="Vår")
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["template"] == "mal.docx"
    letters = [r[2] for r in mailings(book) if r[0] == "Vår"]
    assert letters and all(f.startswith(f"../{elsewhere.name}/Vår/") for f in letters)
    shown = FileBook(book).read(["Recipients"]).frame("Recipients")
    assert not any(str(v).startswith("/") for v in shown["Letter"])


def test_a_folder_that_cannot_be_written_is_a_message_not_a_traceback(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmbook.letters.engine import Batch

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Batch, "write", full)
    with pytest.raises(RefusedError, match=r"kunne ikke skrive brevene: .*No space left"):
        run(book)
    assert files_under(book.parent / "letters") == []
