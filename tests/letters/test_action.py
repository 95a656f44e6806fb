"""The letters step on a real workbook: letters, print file, log, rerun, preview, overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.actions.letters import Request, make_letters
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.errors import RefusedError
from tests.letters.helpers import TODAY, body_text

SELECTION, TEMPLATE = "Konferansetilbud", Path("konferansetilbud.docx")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return create(tmp_path / "book.xlsx", demo=50)


def mailings(book: Path) -> list[tuple]:
    frame = FileBook(book).read().frame("Mailings")
    return list(frame[["Campaign", "Customer ID", "Letter file"]].itertuples(index=False))


def run(book: Path, **options) -> object:
    return make_letters(FileBook(book), book, Request(SELECTION, TEMPLATE, **options), TODAY)


def test_letters_are_made_logged_once_and_a_rerun_adds_nothing(book: Path) -> None:
    before = len(mailings(book))
    result = run(book, campaign="Høst 2026")
    assert result.files and result.combined is not None and result.combined.exists()
    assert all(f.exists() for f in result.files)
    first = result.files[0]
    assert first.name.split(" ")[0].isdigit() and "| 22. november 2026" in body_text(first)
    rows = mailings(book)[before:]
    assert [r[0] for r in rows] == ["Høst 2026"] * len(result.files)
    assert rows[0][2] == f"letters/Høst 2026/{first.name}"
    again = run(book, campaign="Høst 2026")
    assert again.files == [] and len(mailings(book)) == before + len(result.files)
    assert {k.reason for k in again.skipped} == {"har allerede fått kampanjen Høst 2026"}


def test_recipients_sheet_shows_who_got_a_letter(book: Path) -> None:
    result = run(book, campaign="Høst 2026")
    shown = FileBook(book).read([s.RECIPIENTS]).frame(s.RECIPIENTS)
    letters = dict(zip(shown["Customer ID"], shown["Letter"], strict=True))
    for person in result.files:
        cid = float(person.name.split(" ")[0])
        assert letters[cid] == f"letters/Høst 2026/{person.name}"
    for skipped in result.skipped:
        assert letters[float(skipped.customer_id)] == skipped.reason


def test_preview_makes_one_letter_and_logs_nothing(book: Path) -> None:
    before = len(mailings(book))
    result = run(book, preview=True)
    assert len(result.files) == 1 and result.combined is None
    assert result.files[0].parent.name == "forhåndsvisning"
    assert len(mailings(book)) == before
    assert len(run(book, preview=True).files) == 1, "a preview replaces the last preview"


def test_a_preview_does_not_block_the_real_run(book: Path) -> None:
    run(book, preview=True)
    made = run(book)
    assert made.files and all(f.parent.name == SELECTION for f in made.files)


def test_existing_letters_need_overwrite(book: Path) -> None:
    preview = run(book, preview=True).files[0]
    earlier = preview.parent.parent / preview.name  # a letter made before, e.g. by hand
    earlier.write_bytes(b"not ours")
    with pytest.raises(RefusedError):
        run(book)
    assert earlier.read_bytes() == b"not ours"
    assert earlier in run(book, overwrite=True).files
    assert earlier.read_bytes() != b"not ours"


def test_cli_prints_spec_json(book: Path) -> None:
    done = CliRunner().invoke(
        main,
        [
            "letters",
            str(book),
            "--selection",
            SELECTION,
            "--template",
            str(TEMPLATE),
            "--campaign",
            "../utenfor",
            "--json",
        ],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert set(data) == {"campaign", "letters", "files", "combined", "pdf", "skipped"}
    assert data["letters"] == len(data["files"]) > 0
    assert Path(data["combined"]).parent.parent == book.parent / "letters"


def test_a_preview_after_the_real_run_still_shows_the_letter(book: Path) -> None:
    made = run(book)
    before = len(mailings(book))
    preview = run(book, preview=True)
    assert len(preview.files) == 1 and preview.folder.name == "forhåndsvisning"
    assert preview.files[0].name == made.files[0].name
    assert len(mailings(book)) == before


def test_letters_for_a_workbook_that_cannot_be_written_are_not_made(book: Path) -> None:
    book.chmod(0o444)
    try:
        with pytest.raises(RefusedError, match="skrivebeskyttet"):
            run(book)
    finally:
        book.chmod(0o644)
    assert not (book.parent / "letters").exists(), "no letters without their log"
