"""Letters a Norwegian office sends: A4, the address in the envelope window, a country line for
addresses abroad, numbers written the Norwegian way, and one page in LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest

from crmbook.core import letters
from crmbook.letters import pdf
from crmbook.letters.engine import LetterTemplate
from crmbook.letters.filters import FilterError, number, percent
from tests.letters.helpers import SHARED, TEMPLATES, body_text, purchase
from tests.office import needs_office
from tests.registers import register

NBSP = "\u00a0"
A4_TWIPS = ("11906", "16838")

BOOK = register(
    customers="""
    | Customer ID | Company       | Contact person | Address         | Postal code | City     | Country | Employees |
    | 1           | Hansen AS     | Åse Ørn        | Storgata 1      | '0150'      | Oslo     |         | 1185      |
    | 2           | Volvo Hotell  |                | Kungsgatan 5    | 411 19      | Göteborg | Sverige | 40        |
    | 3           | Fjord Norge   |                | Kaia 2          | '5003'      | Bergen   | Norge   | 12        |
    """,  # noqa: E501
)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.glob("*.docx"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.name)
def test_every_shipped_template_is_a4_portrait(path: Path) -> None:
    sect = docx.Document(str(path)).element.body.sectPr
    size = sect.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgSz")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert (size.get(f"{w}w"), size.get(f"{w}h")) == A4_TWIPS
    section = docx.Document(str(path)).sections[0]
    # NS 4129: the address field's first line at 5 cm from the top, 2.5 cm from the left edge
    assert round(section.top_margin.cm, 2) == 5.0 and round(section.left_margin.cm, 2) == 2.5


def test_country_line_in_capitals_abroad_and_none_at_home() -> None:
    got, _ = letters.recipients(BOOK, [1, 2, 3])
    assert [r.context["country_line"] for r in got] == ["", "SVERIGE", ""]
    assert got[1].context["landlinje"] == "SVERIGE"
    assert letters.country_line("  united   kingdom ") == "UNITED KINGDOM"


def _address(path: Path) -> list[str]:
    cell = docx.Document(str(path)).tables[0].rows[0].cells[0]
    return [p.text for p in cell.paragraphs]


@pytest.mark.parametrize("name", ["konferansetilbud.docx", "conference-offer.docx"])
def test_a_foreign_and_a_norwegian_address_render_in_the_window_box(
    tmp_path: Path, name: str
) -> None:
    got, _ = letters.recipients(BOOK, [1, 2])
    lang = "nb" if name.startswith("konf") else "en"
    batch = LetterTemplate(TEMPLATES / name, lang=lang).batch(SHARED)
    home, abroad = tmp_path / "1.docx", tmp_path / "2.docx"
    batch.write(home, got[0].context)
    batch.write(abroad, got[1].context)
    att = "Att.: Åse Ørn" if lang == "nb" else "Attn: Åse Ørn"
    assert _address(home) == ["Hansen AS", att, "Storgata 1", "0150 Oslo"]
    assert _address(abroad) == ["Volvo Hotell", "Kungsgatan 5", "411 19 Göteborg", "SVERIGE"]
    large = f"Med 1{NBSP}185 ansatte" if lang == "nb" else "With 1,185 employees"
    assert large in body_text(home)


def test_number_and_percent_filters_write_norwegian_and_english_numbers() -> None:
    assert number(7.5) == "7,5" and number(1185) == f"1{NBSP}185"
    assert number(1234567.891) == f"1{NBSP}234{NBSP}567,89"
    assert number(2.0) == "2" and number(-3.25, decimals=1) == "−3,2"
    assert number(1185, "en") == "1,185" and number(7.5, "en") == "7.5"
    assert percent(7.5) == f"7,5{NBSP}%" and percent(12, "en") == "12%"
    assert number(None) == percent("") == ""
    with pytest.raises(FilterError, match="filteret number trenger et tall"):
        number("mange")


def test_the_filters_have_norwegian_names_in_templates(tmp_path: Path) -> None:
    from crmbook.letters.parts import environment

    env = environment("nb")
    text = env.from_string("{{ a|tall }} {{ b|prosent }} {{ a|number }} {{ b|percent(1) }}")
    assert text.render(a=1185, b=7.5) == f"1{NBSP}185 7,5{NBSP}% 1{NBSP}185 7,5{NBSP}%"


@needs_office
def test_a_letter_with_a_long_purchase_history_prints_on_one_a4_page(tmp_path: Path) -> None:
    got, _ = letters.recipients(BOOK, [2])
    person = dict(got[0].context, employees=400, contact_person="Sven Svensson")
    person["purchases"] = [purchase(f"20{10 + i}-03-01", "Konferanse", 12345.5) for i in range(14)]
    letter = tmp_path / "brev.docx"
    LetterTemplate(TEMPLATES / "konferansetilbud.docx").batch(SHARED).write(letter, person)
    made = pdf.to_pdf([letter], tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(made[0])], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    assert "A4" in info.stdout
