"""What the source implies: no purchase or response after today, no answer before the letter,
and amounts as numbers (text with one reading is converted by --fix)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import python_calamine
from click.testing import CliRunner

from crmbook.book import layout
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.validate import validate
from tests.registers import register
from tests.validate.helpers import E, F, W

TODAY = dt.date(2026, 12, 1)

PURCHASES = """
| Customer ID | Date       | Product    | Amount (NOK)  |
| 1           | 2026-12-01 | Conference | 100           |
| 1           | 2026-12-02 | Conference | 100           |
| 1           | 2062-05-01 | Banquet    | 100           |
"""
MAILINGS = """
| Mailing ID | Campaign | Customer ID | Date sent  | Response | Response date |
| 1          | Vinter   | 1           | 2026-01-10 | Positive | 2026-01-20    |
| 2          | Vinter   | 1           | 2026-01-10 | Positive | 2026-01-09    |
| 3          | Vinter   | 1           | 2026-01-10 | Negative | '03.12.2026'  |
| 4          | Vinter   | 1           |            | Negative | 2026-01-09    |
"""
CUSTOMERS = "| Customer ID | Company |\n| 1 | Fjord AS |"


def issues(lang: str = "en", **sheets: str) -> list[tuple[str, int, str, object, str]]:
    book = register(CUSTOMERS, lang=lang, **sheets)
    found = validate(book, today=TODAY).issues
    return [(i.key, i.row, i.field, i.severity, i.message) for i in found]


def test_purchases_after_today_are_warnings_and_responses_after_today_errors() -> None:
    found = issues(purchases=PURCHASES, mailings=MAILINGS)
    dated = [(k, r, sev) for k, r, f, sev, _ in found if "after today" in _]
    assert dated == [
        (s.PURCHASES, 3, W),
        (s.PURCHASES, 4, W),
        (s.MAILINGS, 4, E),
    ]
    (message,) = {m for k, r, f, sev, m in found if (k, r) == (s.PURCHASES, 4)}
    assert (
        message
        == "Dated 01.05.2062, after today (01.12.2026): is the year right? Correct the date."
    )


def test_a_response_before_its_letter_is_an_error_in_either_language() -> None:
    (en,) = [m for k, r, f, sev, m in issues(mailings=MAILINGS) if "before" in m]
    assert en == (
        "The response is dated 09.01.2026, before the letter was sent (10.01.2026). "
        "Correct one of the dates."
    )
    (nb,) = [m for k, r, f, sev, m in issues("nb", mailings=MAILINGS) if "før brevet" in m]
    assert (
        nb == "Svaret er datert 09.01.2026, før brevet ble sendt (10.01.2026). Rett en av datoene."
    )


def test_today_is_the_computers_date_unless_given() -> None:
    book = register(CUSTOMERS, purchases=PURCHASES)
    assert all("2026-12-02" not in i.message for i in validate(book).issues)  # no crash, no today


AMOUNTS = """
| Customer ID | Date       | Product    | Amount (NOK)  |
| 1           | 2025-01-01 | Conference | '12 000 kr'   |
| 1           | 2025-01-01 | Conference | 'kr 1 500,-'  |
| 1           | 2025-01-01 | Conference | '1.500'       |
| 1           | 2025-01-01 | Conference | '12,50'       |
| 1           | 2025-01-01 | Conference | 'tolv tusen'  |
| 1           | 2025-01-01 | Conference | 48500         |
"""


def test_amounts_typed_as_text_are_errors_fixed_when_the_reading_is_unique() -> None:
    book = register(CUSTOMERS, purchases=AMOUNTS)
    plain = {(i.row, i.severity) for i in validate(book, today=TODAY).issues}
    assert plain == {(2, E), (3, E), (4, E), (5, E), (6, E)}
    fixed = validate(book, fix=True, today=TODAY)
    assert {(i.row, i.fix.value) for i in fixed.fixed if i.fix} == {
        (2, 12000),
        (3, 1500),
        (5, 12.5),
    }
    assert {(i.row, i.severity) for i in fixed.issues} == {(2, F), (3, F), (4, E), (5, F), (6, E)}
    (two_ways,) = [i.message for i in fixed.issues if i.row == 4]
    assert two_ways.startswith("'1.500' can be read two ways")


def test_fix_writes_the_amount_as_a_number_in_a_real_workbook(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    assert CliRunner().invoke(main, ["new", str(path), "--lang", "nb"]).exit_code == 0
    wb = openpyxl.load_workbook(path)
    wb[layout.sheet_name(s.CUSTOMERS, "nb")].append([1, "Fjord AS", None, None, None, None, None,
                                                    "Gata 1", "0150", "Oslo"])  # fmt: skip
    wb[layout.sheet_name(s.PURCHASES, "nb")].append([1, dt.date(2025, 1, 1), "Konferanse",
                                                    "12 000 kr"])  # fmt: skip
    wb.save(path)
    result = CliRunner().invoke(main, ["validate", str(path), "--fix"])
    assert "Endret til «12000»" in result.output
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kjøp")
    assert sheet.to_python()[1][3] == 12000


def test_bands_as_the_source_writes_them_are_variants_fixed_to_the_list_spelling() -> None:
    book = register(
        """
        | Customer ID | Company | Turnover (NOK) | Turnover band | Employees | Employee band |
        | 1           | A AS    | 600000000      | >500 M        | 600       | >500          |
        | 2           | B AS    | 5000000        | <10 M         | 20        | 10-49         |
        | 3           | C AS    | 20000000       | 10-49 mill.   | 20        | 10–49         |
        | 4           | D AS    | 20000000       | >500 M        | 20        | ≥ 500         |
        """
    )
    found = validate(book, today=TODAY)
    assert {(i.row, i.field, i.severity) for i in found.issues} == {
        (2, "Turnover band", W),  # '>500 M' is '≥500 M', and agrees with 600 000 000
        (2, "Employee band", W),
        (3, "Employee band", W),  # '<10 M' (row 3) is the list's own spelling
        (4, "Turnover band", W),  # '10-49 mill.'
        (5, "Turnover band", W),
        (5, "Turnover band", E),  # '>500 M' disagrees with 20 000 000
        (5, "Employee band", W),
        (5, "Employee band", E),
    }
    fixes = {(i.row, i.field): i.fix.value for i in validate(book, fix=True).fixed if i.fix}
    assert fixes == {
        (2, "Turnover band"): "≥500 M",
        (2, "Employee band"): "≥500",
        (3, "Employee band"): "10–49",
        (4, "Turnover band"): "10–49 M",
        (5, "Turnover band"): "≥500 M",
        (5, "Employee band"): "≥500",
    }
