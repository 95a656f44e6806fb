"""The fast path against the reference: a letter the engine writes is docxtpl's own render of the
same template and values (its document, header and footer XML compared canonically, its text read
back by python-docx), and the combined print file holds each letter's body as rendered for the
letter's own file — the same XML a second render of every body would give."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from crmbook.core import textchars
from crmbook.letters import parts as p
from crmbook.letters.engine import _BREAK, LetterTemplate, _restarting
from tests.letters.helpers import SHARED, TEMPLATES, body_text, letterhead_text, purchase, recipient

MAIN, HEADER, FOOTER = "word/document.xml", "word/header1.xml", "word/footer1.xml"
_IDS = re.compile(r"\}(paraId|textId)$")
#: Characters XML 1.0 allows, from plain letters to Norwegian ones, markup and Word's tabs.
_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff\x0b\x0c\r"
    ).filter(lambda c: not textchars.has_forbidden(c)),
    max_size=40,
)
_AWKWARD = st.sampled_from(
    ["", " ", "Hansen & Sønn AS", '<Fjord> "Ærlig" \'AS\'', "Å\tØ\næ", "{{ company }}", "{_{ x }_}",
     "100 % & < > ; &amp;", "ÆØÅ æøå é ü ß", "x" * 3000]
)  # fmt: skip
_VALUE = st.one_of(_TEXT, _AWKWARD, st.none())


@pytest.fixture(scope="module")
def conference() -> LetterTemplate:
    return LetterTemplate(TEMPLATES / "konferansetilbud.docx", lang="nb")


def canonical(xml: bytes) -> bytes:
    """The part as a reader sees it: C14N, without Word's paragraph ids (the fast path drops
    them from the repeated body), drawings numbered in order (it numbers them per document)."""
    root = etree.fromstring(xml)
    drawing = 0
    for element in root.iter():
        for name in [n for n in element.attrib if _IDS.search(n)]:
            del element.attrib[name]
        if element.tag.endswith("}docPr"):
            drawing += 1
            element.set("id", str(drawing))
    return etree.tostring(root, method="c14n")


def fast(template: LetterTemplate, context: dict) -> bytes:
    out = io.BytesIO()
    template.batch(SHARED).write(out, context)
    return out.getvalue()


def reference(template: LetterTemplate, context: dict) -> bytes:
    """docxtpl's own render and save, in the same sandboxed environment."""
    out = io.BytesIO()
    template.full_render(out, {**SHARED, **context})
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


def assert_same_letter(ours: bytes, theirs: bytes, tmp_path: Path) -> None:
    a, b = parts(ours), parts(theirs)
    assert set(a) == set(b)
    for name in (MAIN, HEADER, FOOTER):
        assert canonical(a[name]) == canonical(b[name]), name
    (tmp_path / "a.docx").write_bytes(ours)
    (tmp_path / "b.docx").write_bytes(theirs)
    assert body_text(tmp_path / "a.docx") == body_text(tmp_path / "b.docx")
    assert letterhead_text(tmp_path / "a.docx") == letterhead_text(tmp_path / "b.docx")


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.docx")))
def test_every_shipped_template_renders_as_docxtpl_renders_it(name: str, tmp_path: Path) -> None:
    template = LetterTemplate(TEMPLATES / name, lang="en" if name[0] in "clw" else "nb")
    bought = [purchase(f"2025-0{m}-0{m}", f"Vare {m} & <Co>", m * 1000.5) for m in range(1, 10)]
    people = [
        recipient('Hansen & Sønn <Fjord> "Ærlig" AS', employees=500, purchases=bought),
        recipient("", contact_person=None, employees=None, country_line="SVERIGE"),
    ]
    for person in people:
        assert_same_letter(fast(template, person), reference(template, person), tmp_path)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    company=_VALUE,
    contact=_VALUE,
    address=_VALUE,
    city=_VALUE,
    country=_VALUE,
    employees=st.one_of(st.none(), st.integers(-5, 10**9)),
    bought=st.lists(st.tuples(_TEXT, st.integers(-(10**7), 10**9)), max_size=3),
)
def test_any_recipient_reads_as_docxtpl_renders_it(
    conference: LetterTemplate,
    tmp_path: Path,
    company: str | None,
    contact: str | None,
    address: str | None,
    city: str | None,
    country: str | None,
    employees: int | None,
    bought: list[tuple[str, int]],
) -> None:
    person = recipient(
        company,
        contact_person=contact,
        address=address,
        city=city,
        country_line=country,
        employees=employees,
        purchases=[purchase("2025-05-17", product, amount) for product, amount in bought],
    )
    assert_same_letter(fast(conference, person), reference(conference, person), tmp_path)


def _pictures_and_bookmarks(folder: Path) -> Path:
    """A template whose body repeats a picture per purchase and carries a bookmark."""
    doc = docx.Document()
    first = doc.add_paragraph("{{ company }}")
    first._p.insert(0, etree.fromstring(f'<w:bookmarkStart xmlns:w="{_W}" w:id="7" w:name="to"/>'))
    first._p.append(etree.fromstring(f'<w:bookmarkEnd xmlns:w="{_W}" w:id="7"/>'))
    doc.add_paragraph().add_run().add_picture(str(TEMPLATES / "logo.png"), height=Cm(1))
    doc.add_paragraph("{%p for x in purchases %}")
    doc.add_paragraph("{{ x.product }}").add_run().add_picture(
        str(TEMPLATES / "logo.png"), height=Cm(1)
    )
    doc.add_paragraph("{%p endfor %}")
    path = folder / "pictures.docx"
    doc.save(str(path))
    return path


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _second_render(template: LetterTemplate, people: list[dict]) -> bytes:
    """The combined document as a second render of every body makes it: bookmarks taken out of
    the template, one drawing counter through the whole file."""
    source = p.BOOKMARK.sub("", p.body_source(template.main.body))
    body = p.compile_part(template.env, MAIN, source)
    counter = p.id_counter()
    bodies = [
        p.finish(template.docxtpl, body.render({**SHARED, **r, p.DOCPR_COUNTER: counter}))
        for r in people
    ]
    sect = _restarting(template.main.sect_pr)
    main = template.main
    xml = p.XML_DECLARATION + main.prefix + _BREAK.format(sect).join(bodies) + sect + main.suffix
    return p.encoded(xml)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(_VALUE, min_size=1, max_size=4),
    products=st.lists(_TEXT, max_size=3),
    shipped=st.booleans(),
)
def test_combined_file_holds_each_letters_own_body(
    conference: LetterTemplate,
    tmp_path_factory: pytest.TempPathFactory,
    names: list[str | None],
    products: list[str],
    shipped: bool,
) -> None:
    folder = tmp_path_factory.mktemp("combined")
    template = conference if shipped else LetterTemplate(_pictures_and_bookmarks(folder))
    people = [
        recipient(n, purchases=[purchase("2026-01-02", x, 10) for x in products]) for n in names
    ]
    batch = template.batch(SHARED)
    with batch.combined(folder / "all.docx") as into:
        for i, person in enumerate(people):
            batch.write(folder / f"{i}.docx", person, into)
    assert into.count == len(people)
    with zipfile.ZipFile(folder / "all.docx") as z:
        assert z.testzip() is None
        combined = z.read(MAIN)
    assert combined == _second_render(template, people)
    ids = re.findall(rb'<wp:docPr id="(\d+)"', combined)
    assert len(ids) == len(set(ids))
    assert b"w:bookmarkStart" not in combined
    letters = [_read(folder / f"{i}.docx") for i in range(len(people))]
    paragraphs = [line for i, (text, _) in enumerate(letters) for line in [""] * bool(i) + text]
    assert _read(folder / "all.docx") == (paragraphs, [row for _, rows in letters for row in rows])


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    """A document's paragraphs and its tables' rows, read by python-docx (a letter's break
    paragraph in the combined file reads as an empty paragraph)."""
    d = docx.Document(str(path))
    rows = [[c.text for c in row.cells] for t in d.tables for row in t.rows]
    return [x.text for x in d.paragraphs], rows


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(company=st.text(max_size=30), product=st.text(max_size=30))
def test_no_character_xml_forbids_reaches_a_letter_or_the_combined_file(
    conference: LetterTemplate, tmp_path_factory: pytest.TempPathFactory, company: str, product: str
) -> None:
    folder = tmp_path_factory.mktemp("control")
    person = recipient(company, purchases=[purchase("2026-01-02", product, 10)])
    batch = conference.batch(SHARED)
    with batch.combined(folder / "all.docx") as into:
        batch.write(folder / "letter.docx", person, into)
    for name in ("letter.docx", "all.docx"):
        with zipfile.ZipFile(folder / name) as z:
            for member in [n for n in z.namelist() if n.endswith((".xml", ".rels"))]:
                assert not textchars.forbidden_bytes(z.read(member)), (name, member)
        document = docx.Document(str(folder / name))
        assert document.element.body.find(qn("w:p")) is not None
