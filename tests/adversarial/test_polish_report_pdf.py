"""Printing the Report of a workbook that is not as crmbook left it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from crmbook.book.report_pdf import only_report
from crmbook.errors import UsageError


def test_a_workbook_without_a_report_sheet_is_told_to_run_report_first(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Kunder"
    wb.save(book)
    with pytest.raises(UsageError, match="har ikke noe Rapport-ark: kjør crmbook report først"):
        only_report(book, tmp_path / "copy.xlsx", "nb")


def test_a_report_sheet_the_user_hid_is_printed_and_the_others_are_not(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Kunder"
    wb.create_sheet("Report").sheet_state = "hidden"
    wb.create_sheet("Notes")
    wb.save(book)
    only_report(book, tmp_path / "copy.xlsx", "en")
    shown = openpyxl.load_workbook(tmp_path / "copy.xlsx")
    assert {ws.title: ws.sheet_state for ws in shown.worksheets} == {
        "Kunder": "hidden", "Report": "visible", "Notes": "hidden"
    }  # fmt: skip
    with zipfile.ZipFile(book) as z, zipfile.ZipFile(tmp_path / "copy.xlsx") as c:
        assert z.read("xl/workbook.xml") != c.read("xl/workbook.xml")
    assert openpyxl.load_workbook(book)["Report"].sheet_state == "hidden"  # the book is only read
