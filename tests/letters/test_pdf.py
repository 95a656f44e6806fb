"""LibreOffice opens what the engine writes: a letter and the combined file become PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmbook.letters import pdf
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
