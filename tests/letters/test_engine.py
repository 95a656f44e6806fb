"""Letters rendered by the engine, read back with python-docx: what the recipient would read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.shared import Cm
from docxtpl import InlineImage, RichText
from jinja2.exceptions import SecurityError

from crmbook.letters.engine import LetterTemplate
from tests.letters.helpers import (
    SHARED,
    TEMPLATES,
    body_text,
    letterhead_text,
    purchase,
    raw_members,
    recipient,
)

AWKWARD = 'Hansen & Sønn <Fjord> "Ærlig" AS'


@pytest.fixture(scope="module")
def conference() -> LetterTemplate:
    return LetterTemplate(TEMPLATES / "konferansetilbud.docx", lang="nb")


def test_names_with_markup_characters_and_norwegian_letters_appear_literally(
    conference: LetterTemplate, tmp_path: Path
) -> None:
    out = tmp_path / "letter.docx"
    conference.batch(SHARED).write(out, recipient(AWKWARD))
    text = body_text(out)
    assert AWKWARD in text.splitlines()  # the address block's first line
    assert f"Konferansetilbud til {AWKWARD}" in text
    assert "Att.: Åse Ørn" in text
    assert "0150 Oslo" in text  # leading zero kept
    assert "| 22. november 2026" in text


def test_purchases_table_has_one_row_per_purchase_in_norwegian_formats(
    conference: LetterTemplate, tmp_path: Path
) -> None:
    bought = [purchase("2025-03-01", "Konferanse", 1234567), purchase("2026-01-15", "Bankett", 950)]
    out = tmp_path / "letter.docx"
    conference.batch(SHARED).write(out, recipient("Fjord AS", purchases=bought))
    rows = [[c.text for c in r.cells] for r in docx.Document(str(out)).tables[-1].rows]
    assert rows == [
        ["Dato", "Produkt", "Beløp"],
        ["1. mars 2025", "Konferanse", "kr\u00a01\u00a0234\u00a0567"],
        ["15. januar 2026", "Bankett", "kr\u00a0950"],
    ]


def test_no_purchases_no_table(conference: LetterTemplate, tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    conference.batch(SHARED).write(out, recipient("Fjord AS", purchases=[]))
    assert len(docx.Document(str(out)).tables) == 2  # the address box and the reference line
    assert "kjøpt hos oss" not in body_text(out)


@pytest.mark.parametrize(("employees", "shown"), [(101, True), (100, False), (None, False)])
def test_large_customer_paragraph_only_for_more_than_100_employees(
    conference: LetterTemplate, tmp_path: Path, employees: int | None, shown: bool
) -> None:
    out = tmp_path / "letter.docx"
    conference.batch(SHARED).write(out, recipient("Fjord AS", employees=employees))
    assert ("blant de største bedriftene" in body_text(out)) is shown
    assert "None" not in body_text(out)


def test_letterhead_shows_the_sender_from_settings(
    conference: LetterTemplate, tmp_path: Path
) -> None:
    out = tmp_path / "letter.docx"
    conference.batch(SHARED).write(out, recipient("Fjord AS"))
    head = letterhead_text(out)
    for value in ("Fjordhotellet AS", "Strandkaien 1", "5003 Bergen", "Org.nr. 923 609 016",
                  "Tlf. 55 12 34 56", "salg@fjordhotellet.no"):  # fmt: skip
        assert value in head


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.docx")))
def test_every_shipped_template_renders_without_leftover_tags(name: str, tmp_path: Path) -> None:
    lang = "en" if name.startswith(("conference", "winter", "letter")) else "nb"
    out = tmp_path / name
    template = LetterTemplate(TEMPLATES / name, lang=lang)
    template.batch(SHARED).write(out, recipient(AWKWARD, employees=500))
    text = body_text(out) + letterhead_text(out)
    assert AWKWARD in text
    assert "{{" not in text and "{%" not in text
    assert ("22 November 2026" if lang == "en" else "22. november 2026") in text


def test_unchanged_members_are_copied_as_compressed_bytes(
    conference: LetterTemplate, tmp_path: Path
) -> None:
    out = tmp_path / "letter.docx"
    conference.batch(SHARED).write(out, recipient("Fjord AS"))
    source, letter = raw_members(TEMPLATES / "konferansetilbud.docx"), raw_members(out)
    assert set(source) == set(letter)
    rendered = {"word/document.xml", "word/header1.xml", "word/footer1.xml"}
    for name in set(source) - rendered:
        assert letter[name] == source[name], name
    with zipfile.ZipFile(TEMPLATES / "konferansetilbud.docx") as a, zipfile.ZipFile(out) as b:
        assert a.read("word/media/image1.png") == b.read("word/media/image1.png")


def test_combined_file_has_every_letter_in_order_each_in_its_own_section(
    conference: LetterTemplate, tmp_path: Path
) -> None:
    names = [f"Firma {i} & Co" for i in range(5)]
    out = tmp_path / "all.docx"
    count = conference.batch(SHARED).write_combined(out, (recipient(n) for n in names))
    assert count == 5
    d = docx.Document(str(out))
    boxes = [t.rows[0].cells[0].paragraphs[0].text for t in d.tables]  # each address box
    firsts = [text for text in boxes if text.startswith("Firma ")]
    assert firsts == names
    assert len(d.sections) == 5
    assert all(s.start_type == WD_SECTION.NEW_PAGE for s in d.sections)
    assert all("Fjordhotellet AS" in letterhead_text(out) for _ in d.sections)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None


def test_drawing_ids_stay_unique_when_a_body_picture_repeats(tmp_path: Path) -> None:
    src = tmp_path / "pic.docx"
    doc = docx.Document()
    doc.add_paragraph("{{ company }}")
    doc.add_paragraph().add_run().add_picture(str(TEMPLATES / "logo.png"), height=Cm(1))
    doc.save(str(src))
    out = tmp_path / "all.docx"
    LetterTemplate(src).batch(SHARED).write_combined(out, [recipient("A"), recipient("B")])
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode()
    ids = [part.split('"')[0] for part in xml.split('<wp:docPr id="')[1:]]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_rich_text_and_images_fall_back_to_a_full_docxtpl_render(tmp_path: Path) -> None:
    src = tmp_path / "fancy.docx"
    doc = docx.Document()
    doc.add_paragraph("{{r greeting }}")
    doc.add_paragraph("{{ picture }}")
    doc.save(str(src))
    template = LetterTemplate(src)
    picture = InlineImage(template.docxtpl, str(TEMPLATES / "logo.png"), height=Cm(1))
    context = {"greeting": RichText("Hei & hallo", bold=True), "picture": picture}
    out = tmp_path / "letter.docx"
    template.batch(SHARED).write(out, context)
    d = docx.Document(str(out))
    assert d.paragraphs[0].text == "Hei & hallo"
    assert [r.bold for r in d.paragraphs[0].runs if r.text] == [True]
    assert len(d.inline_shapes) == 1


def test_sandbox_refuses_python_internals_at_render_time(tmp_path: Path) -> None:
    src = tmp_path / "evil.docx"
    doc = docx.Document()
    doc.add_paragraph("{{ (company|attr('__class__')).__mro__ }}")
    doc.save(str(src))
    with pytest.raises(SecurityError):
        LetterTemplate(src).batch(SHARED).write(tmp_path / "out.docx", recipient("A"))
    assert not (tmp_path / "out.docx").exists()


def test_logo_file_replaces_the_letterhead_picture(tmp_path: Path) -> None:
    gif = tmp_path / "logo.gif"  # 2 x 1 pixels: the box keeps its height and becomes 2:1
    gif.write_bytes(b"GIF89a\x02\x00\x01\x00\x00\x00\x00;")
    template = LetterTemplate(TEMPLATES / "konferansetilbud.docx", logo=gif)
    out = tmp_path / "letter.docx"
    template.batch(SHARED).write(out, recipient("Fjord AS"))
    with zipfile.ZipFile(out) as z:
        assert z.read("word/media/image1.gif") == gif.read_bytes()
        assert "word/media/image1.png" not in z.namelist()
        assert 'Extension="gif"' in z.read("[Content_Types].xml").decode()
        header = z.read("word/header1.xml").decode()
    cx, cy = map(int, re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', header).groups())
    assert abs(cx - 2 * cy) <= 2
    docx.Document(str(out))  # python-docx opens it
