"""Page numbers survive the joining: letters whose template numbers its pages are joined each
in a section of its own (numbers restart), and those that count their pages are converted one
by one (a joined document would count every letter's pages)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfReader

from crmbook.letters import pdf, pdf_batch
from crmbook.letters.engine import LetterTemplate
from tests.letters.helpers import SHARED, TEMPLATES, recipient
from tests.office import needs_office


def field(name: str) -> str:
    return f'<w:fldSimple {nsdecls("w")} w:instr=" {name} "><w:r><w:t>0</w:t></w:r></w:fldSimple>'


def numbered_template(folder: Path, footer: list[str]) -> Path:
    """A two-page letter whose footer is ``footer``: text and fields (``"=PAGE"``)."""
    doc = docx.Document()
    doc.add_paragraph("Til {{ company }}")
    doc.add_paragraph("Side en").add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Side to for {{ company }}")
    line = doc.sections[0].footer.paragraphs[0]
    for piece in footer:
        if piece.startswith("="):
            line._p.append(parse_xml(field(piece[1:])))
        else:
            line.add_run(piece)
    path = folder / "nummerert.docx"
    doc.save(str(path))
    return path


def footers(folder: Path, template: Path, count: int) -> list[list[str]]:
    """Each letter's PDF, as the footer line of each of its pages."""
    batch = LetterTemplate(template).batch(SHARED)
    files = []
    for i in range(count):
        files.append(folder / f"{i} Kunde{i} AS.docx")
        batch.write(files[-1], recipient(f"Kunde{i} AS"))
    made = pdf.to_pdf(files, folder / "out")
    pages = [[page.extract_text() for page in PdfReader(p).pages] for p in made]
    for i, letter in enumerate(pages):
        assert f"Side to for Kunde{i} AS" in letter[1]
    return [[text.strip().splitlines()[-1] for text in letter] for letter in pages]


def test_how_letters_are_joined_follows_the_templates_fields(tmp_path: Path) -> None:
    shipped = TEMPLATES / "konferansetilbud.docx"
    assert pdf_batch._joining(shipped) is True
    paged = numbered_template(tmp_path, ["Side ", "=PAGE"])
    assert pdf_batch._joining(paged) is False
    counted = numbered_template(tmp_path, ["=PAGE", " av ", "=NUMPAGES"])
    assert pdf_batch._joining(counted) is None


@needs_office
def test_page_numbers_restart_in_each_letter(tmp_path: Path) -> None:
    template = numbered_template(tmp_path, ["Side ", "=PAGE"])
    assert footers(tmp_path, template, 5) == [["Side 1", "Side 2"]] * 5


@needs_office
def test_page_counts_are_each_letters_own(tmp_path: Path) -> None:
    template = numbered_template(tmp_path, ["Side ", "=PAGE", " av ", "=NUMPAGES"])
    assert footers(tmp_path, template, 3) == [["Side 1 av 2", "Side 2 av 2"]] * 3
