"""A template is checked before any letter is written: problems named where Word shows them."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from crmbook.letters.check import TemplateCheckError, load
from tests.letters.helpers import TEMPLATES


def template(tmp_path: Path, *paragraphs: str, header: str | None = None) -> Path:
    path = tmp_path / "t.docx"
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    doc.save(str(path))
    return path


def problems(path: Path, lang: str = "en") -> list:
    with pytest.raises(TemplateCheckError) as caught:
        load(path, lang)
    return caught.value.problems


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.docx")))
def test_shipped_templates_pass_the_check(name: str) -> None:
    load(TEMPLATES / name, "nb")


def test_unknown_field_is_named_with_the_nearest_known_field(tmp_path: Path) -> None:
    path = template(tmp_path, "Dear {{ contact_persn }},", "{{ firma }} in {{ poststed }}")
    [p] = problems(path)
    assert (p.kind, p.name, p.suggestion) == ("unknown field", "contact_persn", "contact_person")
    assert p.paragraph == "Dear {{ contact_persn }},"
    assert "did you mean contact_person?" in p.message


def test_unknown_sender_and_purchase_keys_are_found(tmp_path: Path) -> None:
    path = template(
        tmp_path, "{%p for p in purchases %}", "{{ p.amount }}", "{%p endfor %}",
        header="{{ sender.compny }}",
    )  # fmt: skip
    found = {(p.name, p.suggestion) for p in problems(path)}
    assert found == {("p.amount", "p.amount_nok"), ("sender.compny", "sender.company")}


def test_syntax_error_names_the_paragraph_in_norwegian(tmp_path: Path) -> None:
    path = template(tmp_path, "Hei {{ firma }}", "Vi har {% if ansatte > 100 %} mange")
    [p] = problems(path, "nb")
    assert p.kind == "syntax"
    assert p.paragraph == "Vi har {% if ansatte > 100 %} mange"
    assert p.message.startswith("syntaksfeil i brevet, avsnittet «Vi har")


@pytest.mark.parametrize(
    "tag",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ company['__class__'] }}",
        "{% include '/etc/passwd' %}",
        "{% import 'os' as os %}",
        "{% extends 'base.docx' %}",
    ],
)
def test_templates_reaching_outside_the_sandbox_are_refused(tmp_path: Path, tag: str) -> None:
    found = problems(template(tmp_path, "Hei {{ company }}", tag))
    assert found and all(p.kind == "not allowed" for p in found)
    assert "not allowed in a letter template" in found[0].message


def test_syntax_error_keeps_jinjas_words_inside_a_norwegian_sentence(tmp_path: Path) -> None:
    path = template(tmp_path, "Hei", "{% for x in purchases %}", "ok {{ x.product }}", "mer")
    [p] = problems(path, "nb")
    assert p.paragraph == "{% for x in purchases %}", "the block never closed, not the last line"
    assert p.message.startswith(
        "syntaksfeil i brevet, avsnittet «{% for x in purchases %}»: en {% … %}-blokk som åpnes"
        " her, lukkes aldri (Jinja: Unexpected end of template."
    )


def test_a_tag_left_open_quotes_only_its_own_paragraph(tmp_path: Path) -> None:
    [p] = problems(template(tmp_path, "Hei {{ company }", "ok"), "nb")
    assert p.paragraph == "Hei {{ company }"
    assert "«Hei {{ company }»" in p.message and "Jinja: unexpected '}'" in p.message


def test_unknown_filter_is_named_with_the_nearest_filter_and_its_paragraph(
    tmp_path: Path,
) -> None:
    [p] = problems(template(tmp_path, "Hei", "Til {{ company|upperr }}"), "nb")
    assert (p.kind, p.name, p.suggestion) == ("unknown filter", "upperr", "upper")
    assert p.paragraph == "Til {{ company|upperr }}"
    assert p.message == "ukjent filter upperr i brevet, avsnittet «Til {{ company|upperr }}»" \
        " (mente du upper?)"  # fmt: skip
    [q] = problems(template(tmp_path, "{{ today|dato }}"), "en")
    assert q.suggestion == "date" and q.message.startswith("unknown filter dato in the letter")


@pytest.mark.parametrize(
    ("tag", "name"),
    [("{{ self }}", "self"), ("{{ company|attr('__class__') }}", "attr('__class__')")],
)
def test_self_and_attr_of_internals_are_refused(tmp_path: Path, tag: str, name: str) -> None:
    [p] = problems(template(tmp_path, "Hei", tag))
    assert (p.kind, p.name, p.paragraph) == ("not allowed", name, tag)
