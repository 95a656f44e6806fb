"""LibreOffice opens what the engine writes: a letter and the combined file become PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from crmbook.letters import pdf, pdf_batch
from crmbook.letters.engine import LetterTemplate
from tests.letters.helpers import SHARED, TEMPLATES, purchase, recipient
from tests.office import needs_office


def pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


@needs_office
def test_a_letter_and_the_combined_file_convert_in_one_libreoffice_call(tmp_path: Path) -> None:
    gif = tmp_path / "logo.gif"
    gif.write_bytes(b"GIF89a\x02\x00\x01\x00\x00\x00\x00;")
    batch = LetterTemplate(TEMPLATES / "konferansetilbud.docx", logo=gif).batch(SHARED)
    bought = [purchase("2025-03-01", "Konferanse", 1234567)]
    letter, combined = tmp_path / "1 Hansen & Sønn.docx", tmp_path / "alle brev.docx"
    batch.write(letter, recipient("Hansen & Sønn <AS>", purchases=bought, employees=200))
    batch.write_combined(combined, (recipient(f"Firma {i}") for i in range(3)))
    made = pdf.to_pdf([letter, combined], tmp_path / "pdf")
    assert [p.name for p in made] == ["1 Hansen & Sønn.pdf", "alle brev.pdf"]
    assert pages(made[0]) == 1
    assert pages(made[1]) == 3


def test_missing_libreoffice_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(pdf.PdfError, match="krever LibreOffice"):
        pdf.to_pdf([tmp_path / "a.docx"], tmp_path, "nb")


def _every_purchase_template(folder: Path) -> Path:
    """A letter listing every purchase (the shipped ones show the latest few to fit one page),
    so a customer with many purchases gets a two-page letter."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("Til {{ company }}")
    doc.add_paragraph("{%p for p in purchases %}")
    doc.add_paragraph("{{ p.date }} {{ p.product }} {{ p.amount_nok }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("Med vennlig hilsen")
    path = folder / "every purchase.docx"
    doc.save(str(path))
    return path


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


@needs_office
def test_each_letter_pdf_holds_that_letter_only(tmp_path: Path) -> None:
    """Letters of one and two pages are joined for LibreOffice and split again; each PDF has
    its own letter's text and pages, and the combined PDF is them all in order."""
    batch = LetterTemplate(_every_purchase_template(tmp_path)).batch(SHARED)
    long = [purchase("2025-03-01", "Konferanse", 1000 + i) for i in range(45)]
    people = [
        recipient(f"Firma{i:02d} AS", purchases=long if i % 4 == 1 else []) for i in range(13)
    ]
    letters = []
    for i, person in enumerate(people):
        letters.append(tmp_path / f"{i} Firma{i:02d}.docx")
        batch.write(letters[-1], person)
    combined = tmp_path / "alle brev.docx"
    batch.write_combined(combined, people)
    made = pdf.to_pdf(letters, tmp_path / "pdf", combined=combined)
    assert [p.name for p in made] == [f.stem + ".pdf" for f in [*letters, combined]]
    for i, letter in enumerate(made[:-1]):
        text = pdf_text(letter)
        assert f"Firma{i:02d} AS" in text
        assert not any(f"Firma{j:02d}" in text for j in range(13) if j != i), letter.name
        assert len(PdfReader(letter).pages) == (2 if i % 4 == 1 else 1), letter.name
    assert len(PdfReader(made[-1]).pages) == sum(len(PdfReader(p).pages) for p in made[:-1])


@needs_office
def test_a_chunk_that_cannot_be_split_is_converted_letter_by_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the page ranges cannot be read (an older LibreOffice exports no destinations),
    every letter is still converted, one by one."""
    monkeypatch.setattr(pdf_batch, "FILTER", "pdf")
    batch = LetterTemplate(TEMPLATES / "konferansetilbud.docx").batch(SHARED)
    letters = [tmp_path / f"{i}.docx" for i in range(3)]
    for i, letter in enumerate(letters):
        batch.write(letter, recipient(f"Firma{i} AS"))
    made = pdf.to_pdf(letters, tmp_path / "pdf")
    assert [f"Firma{i} AS" in pdf_text(p) for i, p in enumerate(made)] == [True] * 3
