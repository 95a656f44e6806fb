"""The orchestrator: one sorted list of issues, its JSON, its summary and the edits to write."""

from __future__ import annotations

import json

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.edits import ClearMarks, EnsureSheet, Link, MarkCells, ReplaceRows, SetCells
from crmbook.core.validate import edits, summary_line, validate
from tests.registers import register

BOOK = """
    | Customer ID | Company | Postal code | Email | Status   |
    | 1           | A AS    | '0150'      | ola@  | Customer |
    |             | B AS    | 150         |       | customer |
    | 3           |         | '0151'      |       | Prospect |
"""
PURCHASES = """
    | Customer ID | Date       | Product    | Amount (NOK) |
    | 7           | 2026-03-02 | Conference | 100          |
"""


def test_issues_sorted_by_sheet_row_and_column_with_counts_and_json() -> None:
    result = validate(register(customers=BOOK, purchases=PURCHASES))
    where = [(i.sheet, i.row, i.column) for i in result.issues]
    assert where == [
        ("Customers", 2, "D"),
        ("Customers", 3, "A"),
        ("Customers", 3, "C"),
        ("Customers", 3, "E"),
        ("Customers", 4, "B"),
        ("Purchases", 2, "A"),
    ]
    assert (result.errors, result.warnings, result.rows) == (4, 1, 4)
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) == {"errors", "warnings", "issues", "fixed"}  # 8: Purchases uses 7
    assert {i["severity"] for i in data["issues"]} == {"Error", "Warning"}  # SPEC §1/§2
    assert data["fixed"] == [
        {
            "sheet": "Customers",
            "row": 3,
            "column": "A",
            "field": "Customer ID",
            "value": None,
            "severity": "Fixed",
            "message": "Customer ID was blank: crmbook gave the customer number 8.",
        }
    ]
    assert data["issues"][0] == {
        "sheet": "Customers",
        "row": 2,
        "column": "D",
        "field": "Email",
        "value": "ola@",
        "severity": "Error",
        "message": data["issues"][0]["message"],
    }


def test_summary_in_both_languages() -> None:
    assert summary_line("en", 7, 3, 9) == "7 errors and 3 warnings in 9 rows."
    assert summary_line("nb", 7, 3, 9) == "7 feil og 3 advarsler i 9 rader."
    assert summary_line("en", 1, 1, 1, 2) == "1 error and 1 warning in 1 row. 2 cells fixed."
    assert summary_line("nb", 1, 1, 1, 1) == "1 feil og 1 advarsel i 1 rad. 1 celle rettet."
    assert summary_line("nb", 0, 0, 0) == "Ingen feil eller advarsler."


def test_summary_under_no_write_says_the_fixes_would_be_made() -> None:
    assert (
        summary_line("en", 0, 0, 0, 1, written=False)
        == "No errors or warnings. 1 cell would be fixed (run without --no-write)."
    )
    assert (
        summary_line("nb", 1, 0, 1, 2, written=False)
        == "1 feil og 0 advarsler i 1 rad. 2 celler ville blitt rettet (kjør uten --no-write)."
    )
    result = validate(register(customers=BOOK), fix=True, write=False)
    assert "would be fixed" in result.summary()
    assert all(i.message.startswith(("Would be", "Customer ID is blank")) for i in result.fixed)


def test_json_values_show_whole_numbers_as_integers() -> None:
    book = register(
        customers="""
        | Customer ID | Company | Employees | Turnover (NOK) |
        | 1           | A AS    | 1.5       | -150           |
    """
    )
    values = [i["value"] for i in validate(book).to_json()["issues"]]
    assert json.dumps(values) == "[1.5, -150]"  # Excel's float -150.0 shown as -150


def test_fix_replaces_the_issues_it_resolves() -> None:
    result = validate(register(customers=BOOK), fix=True)
    assert [(i.row, i.field, i.fix.value) for i in result.fixed if i.fix] == [
        (3, "Customer ID", 4),
        (3, "Postal code", "0150"),
        (3, "Status", "Customer"),
    ]
    assert (result.errors, result.warnings) == (2, 0)  # ola@ and the blank Company remain


def test_edits_fix_cells_mark_problems_and_rewrite_the_issues_sheet() -> None:
    book = register(customers=BOOK, lang="nb")
    result = validate(book, fix=True)
    header = layout.headers(s.ISSUES, "nb")
    out = edits(result, book, header)
    assert out[0] == EnsureSheet(s.ISSUES, tuple(header))
    english = {(2, "E"): "Kunde", (4, "E"): "Prospekt"}  # English values in a Norwegian book
    fixed = {(3, "A"): 4, (3, "C"): "0150", (3, "E"): "Kunde", **english}
    assert SetCells(s.CUSTOMERS, fixed) in out
    assert ClearMarks(s.CUSTOMERS) in out and ClearMarks(s.PURCHASES) in out
    assert MarkCells(s.CUSTOMERS, [(2, "D"), (4, "B")]) in out
    issues = out[-1]
    assert isinstance(issues, ReplaceRows) and issues.sheet == s.ISSUES
    assert issues.header == tuple(header)
    first = issues.rows[0]
    assert first[0] == "Kunder"
    assert first[1] == Link(2, "'Kunder'!D2")
    assert first[2:6] == ["D", "Email", "ola@", "Feil"]
    assert [r[5] for r in issues.rows].count("Rettet") == 5


def test_clean_register_writes_an_empty_issues_sheet() -> None:
    book = register(customers="| Customer ID | Company |\n| 1 | A AS |")
    result = validate(book)
    assert result.issues == () and result.summary() == "No errors or warnings."
    out = edits(result, book, layout.headers(s.ISSUES, "en"))
    assert out[-1] == ReplaceRows(s.ISSUES, [], header=tuple(layout.headers(s.ISSUES, "en")))
    assert not any(isinstance(e, MarkCells | SetCells) for e in out)


def test_a_time_of_day_in_a_date_column_is_shown_as_text_on_the_issues_sheet() -> None:
    import datetime as dt

    book = register(
        customers="""
        | Customer ID | Company | Address    | Postal code | City |
        | 1           | A AS    | Storgata 1 | '0150'      | Oslo |
    """,
        purchases="""
        | Customer ID | Date       | Product    | Amount (NOK) |
        | 1           | 2025-01-02 | Conference | 100          |
    """,
    )
    book.frame("Purchases").loc[2, "Date"] = dt.time(13, 30)
    result = validate(book)
    (rows,) = [e.rows for e in edits(result, book, ["h"] * 7) if isinstance(e, ReplaceRows)]
    assert "13:30:00" in [row[4] for row in rows]
