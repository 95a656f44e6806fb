"""`crmbook letters --pdf` when LibreOffice is killed half-way: the letters are in place and
pending in the manifest, no PDF is, the message says what to do, and doing it makes every PDF
while each customer is logged once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from crmbook.actions.letters import Request, make_letters
from crmbook.book.builder import create
from crmbook.book.filebook import FileBook
from crmbook.letters import pdf
from tests.adversarial.test_pdf_letters import KILLED, fake_soffice
from tests.letters.helpers import TODAY
from tests.office import needs_office


def run(book: Path, **options: bool) -> object:
    request = Request("Konferansetilbud", Path("konferansetilbud.docx"), pdf=True, **options)
    return make_letters(FileBook(book), book, request, TODAY)


@needs_office
def test_killed_libreoffice_then_the_rerun_it_asks_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = create(tmp_path / "book.xlsx", demo=30)
    real = pdf.find_soffice
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake_soffice(tmp_path, KILLED))
    with pytest.raises(pdf.PdfError, match=r"ingen PDF er laget.*--overwrite --pdf") as failed:
        run(book)
    assert "ikke ført i arket" in str(failed.value)  # the letters are made, not yet logged
    (manifest,) = tmp_path.rglob("manifest.json")
    folder = manifest.parent
    assert json.loads(manifest.read_text())["logged"] is False
    letters = sorted(folder.glob("*.docx"))
    assert letters and not list(folder.glob("*.pdf"))
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]

    monkeypatch.setattr(pdf, "find_soffice", real)
    again = run(book, overwrite=True)
    assert sorted(p.name for p in folder.glob("*.pdf")) == sorted(p.name for p in again.pdf)
    assert len(again.pdf) == len(letters)  # one per letter, and the combined file's
    for letter in again.files:
        text = PdfReader(letter.with_suffix(".pdf")).pages[0].extract_text()
        assert letter.stem.split(" ", 1)[1] in text.replace("\n", " "), letter.name
    mailings = FileBook(book).read().frame("Mailings")
    ids = mailings[mailings["Campaign"] == "Konferansetilbud"]["Customer ID"].tolist()
    assert sorted(ids) == sorted(set(ids)) and len(ids) == len(again.files)
    assert json.loads(manifest.read_text())["logged"] is True
