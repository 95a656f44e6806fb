"""Cells as staff leave them: no Customer ID yet, a blank Country, unreadable text, lost zeros."""

from __future__ import annotations

import pytest

from crmbook.actions.select import compute, explain, recipients_edits
from crmbook.core import schema as s
from crmbook.core.edits import ReplaceRows
from crmbook.core.register import Register
from tests.registers import register

# Customer 3 has no ID yet (validate assigns one); Ansatte of 2 is text the engine cannot read.
CUSTOMERS = """
| Customer ID | Company      | Employees | Country  | Postal code | No marketing |
| 1           | Blank Land   | 120       |          | 150         |              |
| 2           | Norge AS     | 'ca. 50'  | Norge    | 5003        | Nei          |
| 3           | Uten Nummer  | 200       | NO       | '0151'      |              |
| 4           | Svensk AB    | 300       | Sweden   | 150         |              |
| 5           | Noreg AS     | 50        | ' noreg' | 7           | x            |
"""


def selection(*criteria: str) -> str:
    """Selection 'S' from 'Group | Field | Operator | Value' rows."""
    rows = [f"| S | {c} |" for c in criteria]
    return "\n".join(["| Selection | Group | Field | Operator | Value |", *rows])


def book(*criteria: str, lang: str = "en") -> Register:
    """CUSTOMERS, with customer 3's ID blanked, and selection 'S'."""
    text = CUSTOMERS.replace("| 3           |", "|             |")
    return register(text, None, None, selection(*criteria), lang=lang)


def companies(*criteria: str, lang: str = "en") -> list[str]:
    reg = book(*criteria, lang=lang)
    frame = reg.frame(s.CUSTOMERS)
    return [frame.loc[r, "Company"] for r in compute(reg, "S").rows]


# --- 1. a customer without a Customer ID is left out, and the funnel says so ------------------


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", "Without a Customer ID (run crmbook validate)"),
        ("nb", "Uten kundenr (kjør crmbook validate)"),
    ],
)
def test_a_customer_without_an_id_is_left_out_with_its_own_funnel_line(
    lang: str, label: str
) -> None:
    result = compute(book("1 | Employees | >= | 100", lang=lang), "S")
    assert result.customer_ids == (1, 4)
    assert None not in result.to_json()["customer_ids"]
    assert [(f.criterion, f.remaining) for f in result.funnel[-2:]] == [
        (result.funnel[-2].criterion, 3),  # 1, 3 and 4 are allowed to get mail
        (label, 2),  # 3 has no ID
    ]
    assert result.count == 2


def test_recipients_has_no_row_without_a_customer_id() -> None:
    reg = book("1 | Employees | >= | 100")
    edit = next(e for e in recipients_edits(reg, compute(reg, "S")) if isinstance(e, ReplaceRows))
    assert [row[0] for row in edit.rows if row[1] is not None] == [1, 4]


def test_without_ids_everywhere_else_the_funnel_has_no_such_line() -> None:
    reg = register(CUSTOMERS, None, None, selection("1 | Employees | > | 0"))
    assert "Customer ID" not in compute(reg, "S").funnel[-1].criterion


# --- 2. Country: blank is Norway, and Norway has several spellings -----------------------------


def test_country_norway_includes_blank_and_every_spelling() -> None:
    norwegian = ["Blank Land", "Norge AS"]  # 3 has no ID, 5 is reserved
    assert companies("1 | Country | = | Norway") == norwegian
    assert companies("1 | Land | = | Norge", lang="nb") == norwegian
    assert companies("1 | Country | = | no") == norwegian
    assert companies("1 | Country | one of | Noreg;Danmark") == norwegian
    assert companies("1 | Country | <> | Norway") == ["Svensk AB"]
    assert companies("1 | Country | <> | sweden") == norwegian
    assert companies("1 | Country | starts with | nor") == norwegian


def test_country_is_blank_still_means_the_cell_is_blank() -> None:
    assert companies("1 | Country | is blank | ") == ["Blank Land"]
    assert companies("1 | Land | ikke tom | ", lang="nb") == ["Norge AS", "Svensk AB"]


# --- 3. text a field cannot read is not blank, and meets no comparison --------------------------


def test_unreadable_text_is_not_blank() -> None:
    assert companies("1 | Ansatte | er tom | ", lang="nb") == []
    assert companies("1 | Employees | not blank | ") == ["Blank Land", "Norge AS", "Svensk AB"]


@pytest.mark.parametrize(
    "criterion",
    ["> | 10", "< | 1000", "= | 50", "<> | 50", "between | 1;1000", "one of | 50;120", ">= | 0"],
)
def test_unreadable_text_meets_no_comparison(criterion: str) -> None:
    assert "Norge AS" not in companies(f"1 | Employees | {criterion}")


# --- 4. the Recipients sheet gives a Norwegian postal code its zeros back ----------------------


def test_recipients_show_postal_codes_with_their_leading_zeros() -> None:
    customers = CUSTOMERS.replace("| x            |", "|              |")
    reg = register(customers, None, None, selection("1 | Company | not blank | "))
    edit = next(e for e in recipients_edits(reg, compute(reg, "S")) if isinstance(e, ReplaceRows))
    postal = [f.name for f in s.SHEET_FIELDS[s.RECIPIENTS]].index("Postal code")
    by_company = {row[1]: row[postal] for row in edit.rows}
    assert by_company == {
        "Blank Land": "0150",  # blank Country is Norway
        "Norge AS": "5003",
        "Uten Nummer": "0151",  # text stays as typed
        "Svensk AB": "150",  # abroad: as typed
        "Noreg AS": "0007",
    }


# --- 5. "why not?" with a shared Customer ID, and the reservation as written -------------------

TWINS = """
| Customer ID | Company  | Employees | No marketing |
| 7           | Først AS | 120       |              |
| 7           | Andre AS | 10        | x            |
"""


def test_explain_explains_every_row_sharing_the_id() -> None:
    found = explain(register(TWINS, None, None, selection("1 | Employees | > | 100")), "S", 7)
    assert found.selected and found.row == 2
    assert [(d.row, d.selected) for d in found.duplicates] == [(3, False)]
    lines = found.lines("en")
    assert lines[0].startswith("Several rows on the sheet Customers have Customer ID 7 (rows 2, 3)")
    assert "Customer 7 (Først AS, row 2) is in the selection 'S'." in lines
    assert "Customer 7 (Andre AS, row 3) is not in the selection 'S':" in lines
    assert lines[-1] == "  reserved against marketing (No marketing = x)"


def test_explain_names_the_reservation_as_written() -> None:
    reg = book("1 | Employees | > | 0", lang="nb")
    assert explain(reg, "S", 5).lines("nb")[-1] == "  reservert mot markedsføring (= x)"
