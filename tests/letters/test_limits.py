"""Every limit of a letter's budget refuses before the machine pays for it, naming the
paragraph; an ordinary letter never meets one. Control characters never reach a letter."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import docx
import pytest

from crmbook.core import letters as core
from crmbook.letters import parts
from crmbook.letters.engine import LetterTemplate
from crmbook.letters.limits import MAX_OUTPUT, MAX_RANGE, MAX_STEPS, MAX_TEXT, LetterTooBig, Limits
from tests.letters.helpers import SHARED, TEMPLATES, body_text, purchase, recipient
from tests.registers import register


def template(folder: Path, text: str) -> Path:
    path = folder / "mal.docx"
    doc = docx.Document()
    doc.add_paragraph("Hei")
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def refused(folder: Path, text: str, limits: Limits | None = None) -> str:
    """The message of a template refused while rendering one letter (it must be quick)."""
    batch = LetterTemplate(template(folder, text), limits=limits).batch(SHARED)
    tracemalloc.start()
    start = time.monotonic()
    with pytest.raises(LetterTooBig) as caught:
        batch.document(recipient("Fjord AS"))
    took, peak = time.monotonic() - start, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert took < 5 and peak < 100_000_000, (took, peak)
    return str(caught.value)


@pytest.mark.parametrize(
    ("tag", "said"),
    [
        ("{{ company|center(200000000) }}", "en tekst på 200\u00a0000\u00a0000 tegn"),
        ("{{ company.center(200000000) }}", "en tekst på 200\u00a0000\u00a0000 tegn"),
        ("{{ company.ljust(10**9) }}", "for lang for et brev"),
        ("{{ company.zfill(10**9) }}", "for lang for et brev"),
        ("{{ company.replace('', 'x' * 900000) }}", "for lang for et brev"),
        ("{{ '%999999999s'|format(company) }}", "999\u00a0999\u00a0999 tegn"),
        ("{{ '%999999999s' % company }}", "999\u00a0999\u00a0999 tegn"),
        ("{{ '%*s' % (10**9, company) }}", "for lang for et brev"),
        ("{{ '{:>999999999}'.format(company) }}", "999\u00a0999\u00a0999 tegn"),
        ("{{ company|indent('x' * 999999) }}", "for lang for et brev"),
        ("{{ company|replace('', 'x' * 200000) }}", "for lang for et brev"),
        ("{{ company|wordwrap(1, true, 'x' * 100000) }}", "for lang for et brev"),
        ("{{ range(10000)|join('x' * 999) }}", "for lang for et brev"),
        ("{{ ('x' * 999999).join(['a'] * 9) }}", "for lang for et brev"),
        ("{{ (['x' * 999999] * 9)|join }}", "for lang for et brev"),
        (
            "{% set l = [1] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}",
            "for lang for et brev",
        ),
        (
            "{% set d = {} %}{% for i in range(1000) %}{% set _ = d.update(x=1) %}{% endfor %}"
            "{{ lipsum(10**9) }}",
            "en rekke på 1\u00a0000\u00a0000\u00a0000",
        ),
        ("{{ lipsum(2, max=10**9) }}", "for lang for et brev"),
        ("{% for i in range(3) %}{{ company.center(10**9) }}{% endfor %}", "for lang for et brev"),
        ("{{ range(9)|slice(10**9)|list }}", "en rekke på 1\u00a0000\u00a0000\u00a0000"),
        ("{{ company * 10**8 }}", "for lang for et brev"),
        ("{{ (range(1000)|list) + (range(1000)|list) * 1000 }}", "for lang for et brev"),
        (
            "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
            "{% endfor %}{{ ns.s|length }}",
            "for lang for et brev",
        ),
        ("{% for i in range(100000) %}x{% endfor %}", "en rekke på 100\u00a0000 elementer"),
        (
            "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
            "malens løkker går mer enn 200\u00a0000 ganger",
        ),
        (
            "{% for i in range(5000) %}{{ 'y' * 999999 }}{% endfor %}",
            "brevet blir lenger enn 20\u00a0000\u00a0000 tegn",
        ),
    ],
)
def test_a_template_asking_too_much_is_refused_at_its_paragraph(
    tmp_path: Path, tag: str, said: str
) -> None:
    message = refused(tmp_path, tag)
    assert said in message
    assert message.endswith(f"i avsnittet «{tag}»"[:100]) or f"i avsnittet «{tag[:40]}" in message


def test_the_templates_own_text_repeated_by_a_loop_counts_too(tmp_path: Path) -> None:
    text = "{% set x %}{% for i in range(9000) %}" + "z" * 3000 + "{% endfor %}{% endset %}"
    assert "brevet blir lenger enn 20\u00a0000\u00a0000 tegn" in refused(tmp_path, text)


def test_rendering_that_runs_too_long_is_stopped_by_the_clock(tmp_path: Path) -> None:
    tag = ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
           "{{ f(40) }}")  # fmt: skip
    start = time.monotonic()
    message = refused(tmp_path, tag, Limits(seconds=0.5))
    assert time.monotonic() - start < 3
    assert "brevet tar mer enn 0.5 sekunder å lage" in message


def test_the_limits_are_far_above_what_a_letter_needs() -> None:
    assert MAX_TEXT >= 100 * 32_767 // 4 and MAX_RANGE >= 10_000
    assert MAX_STEPS >= 100_000 and MAX_OUTPUT >= 10_000_000


def test_an_ordinary_letter_with_a_long_purchases_table_is_made(tmp_path: Path) -> None:
    batch = LetterTemplate(TEMPLATES / "konferansetilbud.docx").batch(SHARED)
    bought = [purchase("2025-03-01", "Konferanse", 1000 + i) for i in range(3000)]
    batch.write(tmp_path / "a.docx", recipient("Hansen & Sønn AS", purchases=bought))
    assert "Hansen & Sønn AS" in body_text(tmp_path / "a.docx")


def test_the_budget_starts_afresh_for_each_letter(tmp_path: Path) -> None:
    tag = "{% for i in range(9000) %}{% for j in range(20) %}{% endfor %}{% endfor %}"
    batch = LetterTemplate(template(tmp_path, tag)).batch(SHARED)
    for _ in range(3):  # 180,000 turns each: under the limit every time, not in sum
        batch.document(recipient("Fjord AS"))


def test_control_characters_in_the_register_never_reach_a_letter(tmp_path: Path) -> None:
    reg = register(
        customers="""
        | Customer ID | Company | Address | Postal code | City | Notes |
        | 1           | x       | x       | '0150'      | Oslo | x     |
        """,
        purchases="""
        | Customer ID | Date       | Product    | Amount (NOK) |
        | 1           | 2025-01-02 | Conference | 1000         |
        """,
        settings={"Sender company": "Fjord\x0bhotellet AS"},
    )
    frame = reg.frame("Customers")
    frame.loc[2, ["Company", "Address", "Notes"]] = ["Hansen\x0bSønn\x01 AS", "Gata\x0c1", "a\x0bb"]
    reg.frame("Purchases").loc[2, "Product"] = "Confer\x07ence"
    people, _ = core.recipients(reg, [1])
    person = people[0].context
    assert (person["company"], person["firma"]) == ("Hansen Sønn AS", "Hansen Sønn AS")
    assert (person["address"], person["notes"]) == ("Gata 1", "a\nb")
    assert person["purchases"][0]["product"] == "Conference"
    shared = core.batch_context(reg.settings, "Vinter\x0b2026", SHARED["today"])
    assert (shared["sender"]["company"], shared["campaign"]) == ("Fjord hotellet AS", "Vinter 2026")


def test_a_control_character_a_template_makes_itself_is_left_out(tmp_path: Path) -> None:
    batch = LetterTemplate(template(tmp_path, "{{ 'A\\x0bB' }}{{ '%c'|format(1) }}C")).batch(SHARED)
    batch.write(tmp_path / "a.docx", recipient("Fjord AS"))
    assert "A BC" in body_text(tmp_path / "a.docx")
    assert parts.encoded("x\ud800y\ufffez\x00") == b"xyz"
    assert parts.encoded("kr\u00a01\u00a0000 – ok\n") == "kr\u00a01\u00a0000 – ok\n".encode()
