"""Control characters pasted from Word: an error at the cell naming each character, fixed by
--fix (Word's line break a space, or a line break in Notes), shown as � on the Issues sheet."""

from __future__ import annotations

from crmbook.core import textchars
from crmbook.core.validate import shown
from tests.registers import register
from tests.validate.helpers import E, F, at, fixes

PASTED = {
    (2, "Company"): "Hansen\x0bSønn AS",
    (2, "Notes"): "Ring før\x0b jul",
    (3, "Company"): "Fjord\x01Event\x1eHus AS",
    (3, "City"): "Oslo\x0b",
    (4, "Company"): "Berg\ufffe AS\x00",
}


def pasted():
    reg = register(customers="""
        | Customer ID | Company | City | Notes |
        | 1           | x       | Oslo |       |
        | 2           | x       | Oslo |       |
        | 3           | x       | Oslo |       |
    """)  # fmt: skip
    frame = reg.frame("Customers")
    for (row, field), text in PASTED.items():
        frame.loc[row, field] = text
    return reg


def test_each_cell_with_a_control_character_is_an_error_naming_it() -> None:
    reg = pasted()
    (company,) = [i for i in at(reg, 2, "Company") if i.severity is E]
    assert "U+000B (a line break from Word)" in company.message
    assert "crmbook validate --fix" in company.message and "becomes a space" in company.message
    (notes,) = at(reg, 2, "Notes")
    assert "stays a line break" in notes.message
    (other,) = [i for i in at(reg, 3, "Company") if i.severity is E]
    assert "characters U+0001 (a picture anchor from Word), U+001E" in other.message
    (last,) = [i for i in at(reg, 4, "Company") if i.severity is E]
    assert "U+FFFE (a non-character), U+0000" in last.message


def test_fix_removes_them_keeping_what_word_showed() -> None:
    assert fixes(pasted()) == {
        (2, "Company"): "Hansen Sønn AS",
        (2, "Notes"): "Ring før\njul",
        (3, "Company"): "FjordEvent\u2011Hus AS",
        (3, "City"): "Oslo",
        (4, "Company"): "Berg AS",
    }
    assert all(i.severity is F for i in at(pasted(), 2, "Company", fix=True))


def test_a_clean_register_has_no_such_issue() -> None:
    reg = register(customers="""
        | Customer ID | Company          | Notes        |
        | 1           | Hansen & Sønn AS | 'tab\there'  |
    """)  # fmt: skip
    assert not [i for i in at(reg, 2, "Company") + at(reg, 2, "Notes") if "U+" in i.message]


def test_the_issues_sheet_shows_the_character_as_a_replacement_mark() -> None:
    assert shown("Hansen\x0bSønn\ud800") == "Hansen\ufffdSønn\ufffd"
    assert textchars.cleaned("a\x0c b", newlines=True) == "a\nb"
    assert not textchars.has_forbidden("kr\u00a01\u2011000\t\n\r")
